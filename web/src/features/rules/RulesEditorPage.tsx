import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Input, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useParams } from 'react-router';
import { ApiError } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { LinkButton, PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { rulesApi, type DecisionTable, type RuleSets, type RuleTest, type TestReport } from './api';
import { rulesLabels } from './labels';

/*
 * The decision-table editor of one item version (catalog admin): inputs, rows of FEEL cells with a
 * decision and a reason, stored tests; save (the server checks fields, FEEL and UNIQUE overlaps and
 * names the row), run the tests, publish (refused while a test fails).
 */

const EMPTY: DecisionTable = { hitPolicy: 'FIRST', inputs: [{ id: 'age', label: '年龄', source: 'applicant', path: 'age' }], rows: [{ cells: ['-'], decision: 'route', reason: '转人工办理' }] };

interface TestDraft {
  name: string;
  inputs: string;
  expected: RuleTest['expected'];
}

const toDrafts = (tests: RuleTest[]): TestDraft[] => tests.map((t) => ({ name: t.name, inputs: JSON.stringify(t.inputs), expected: t.expected }));

export function RulesEditorPage() {
  const { implementationCode = '', version = '' } = useParams();
  const { lang } = useI18n();
  const l = rulesLabels(lang);
  const { message } = App.useApp();
  usePageTitle(l.editorTitle);
  const sets = useApi<RuleSets>(`/api/v1/admin/rules/${encodeURIComponent(implementationCode)}/versions/${version}`);
  const [table, setTable] = useState<DecisionTable>(EMPTY);
  const [tests, setTests] = useState<TestDraft[]>([]);
  const [lockVersion, setLockVersion] = useState<number | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<TestReport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    const current = sets.data?.draft ?? sets.data?.published;
    if (!current) return;
    setTable(current.table);
    setTests(toDrafts(current.tests));
    setLockVersion(sets.data?.draft?.lockVersion);
    setReport(current.lastTestReport);
  }, [sets.data]);

  const parsedTests = (): RuleTest[] | null => {
    try {
      return tests.map((t) => {
        const inputs = JSON.parse(t.inputs) as unknown;
        if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs)) throw new Error('not an object');
        return { name: t.name, inputs: inputs as Record<string, unknown>, expected: t.expected };
      });
    } catch {
      setError(new ApiError(400, 'validation_failed', l.badJson));
      return null;
    }
  };

  const run = async (what: 'save' | 'test' | 'publish') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'save') {
        const parsed = parsedTests();
        if (!parsed) return;
        const saved = await rulesApi.save(implementationCode, version, { table, tests: parsed, ...(lockVersion ? { lockVersion } : {}) });
        setLockVersion(saved.lockVersion);
        setReport(saved.lastTestReport);
        void message.success(l.saved);
      } else if (what === 'test') {
        setReport(await rulesApi.test(implementationCode, version));
      } else {
        await rulesApi.publish(implementationCode, version);
        void message.success(l.published);
        sets.reload();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const setInput = (i: number, patch: Partial<DecisionTable['inputs'][number]>) => setTable({ ...table, inputs: table.inputs.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
  const setRow = (r: number, patch: Partial<DecisionTable['rows'][number]>) => setTable({ ...table, rows: table.rows.map((x, k) => (k === r ? { ...x, ...patch } : x)) });
  const setCell = (r: number, c: number, value: string) => setRow(r, { cells: table.rows[r]!.cells.map((x, k) => (k === c ? value : x)) });
  const addInput = () => setTable({ ...table, inputs: [...table.inputs, { id: `input${table.inputs.length + 1}`, label: '', source: 'form', path: '' }], rows: table.rows.map((row) => ({ ...row, cells: [...row.cells, '-'] })) });
  const removeInput = (i: number) => setTable({ ...table, inputs: table.inputs.filter((_, k) => k !== i), rows: table.rows.map((row) => ({ ...row, cells: row.cells.filter((_, k) => k !== i) })) });

  if (sets.loading && !sets.data) return <Skeleton active />;
  const published = sets.data?.published;
  const decisionOptions = (['approve', 'deny', 'route'] as const).map((d) => ({ value: d, label: l.decisions[d] }));

  return (
    <div className="page">
      <PageHeading
        title={l.editorTitle}
        intro={<span className="code-text">{implementationCode} · v{version}</span>}
        extra={<LinkButton to={`/workbench/catalog/items/${encodeURIComponent(implementationCode)}/versions/${version}`}>←</LinkButton>}
      />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <ProblemAlert error={sets.error} />
        {published ? <Alert type="success" showIcon title={`${l.version} ${published.ruleVersion} · ${l.status.published}`} /> : <Alert type="info" showIcon title={l.noRules} />}
        <Card title={<h2 className="card-title">{l.hitPolicy}</h2>}>
          <Select aria-label={l.hitPolicy} value={table.hitPolicy} style={{ minWidth: 260 }} onChange={(v) => setTable({ ...table, hitPolicy: v })} options={(['UNIQUE', 'FIRST', 'COLLECT'] as const).map((h) => ({ value: h, label: l.hitPolicies[h] }))} />
        </Card>
        <Card title={<h2 className="card-title">{l.inputs}</h2>} extra={<Button icon={<PlusOutlined aria-hidden />} onClick={addInput}>{l.addInput}</Button>}>
          <Table
            rowKey={(_, i) => String(i)}
            pagination={false}
            size="small"
            scroll={{ x: true }}
            dataSource={table.inputs}
            columns={[
              { title: l.inputId, render: (_, x, i) => <Input aria-label={`${l.inputId} ${i + 1}`} value={x.id} onChange={(e) => setInput(i, { id: e.target.value })} /> },
              { title: l.inputLabel, render: (_, x, i) => <Input aria-label={`${l.inputLabel} ${i + 1}`} value={x.label} onChange={(e) => setInput(i, { label: e.target.value })} /> },
              { title: l.source, render: (_, x, i) => <Select aria-label={`${l.source} ${i + 1}`} value={x.source} style={{ minWidth: 140 }} onChange={(v) => setInput(i, { source: v })} options={(['form', 'applicant', 'license', 'shared'] as const).map((s) => ({ value: s, label: l.sources[s] }))} /> },
              { title: l.path, render: (_, x, i) => <Input aria-label={`${l.path} ${i + 1}`} value={x.path} onChange={(e) => setInput(i, { path: e.target.value })} /> },
              { title: '', render: (_, _x, i) => <Button aria-label={`${l.remove} ${i + 1}`} icon={<DeleteOutlined aria-hidden />} disabled={table.inputs.length === 1} onClick={() => removeInput(i)} /> },
            ]}
          />
        </Card>
        <Card title={<h2 className="card-title">{l.rows}</h2>} extra={<Button icon={<PlusOutlined aria-hidden />} onClick={() => setTable({ ...table, rows: [...table.rows, { cells: table.inputs.map(() => '-'), decision: 'route', reason: '' }] })}>{l.addRow}</Button>}>
          <Typography.Paragraph type="secondary">{l.cellHelp}</Typography.Paragraph>
          <Table
            rowKey={(_, i) => String(i)}
            pagination={false}
            size="small"
            scroll={{ x: true }}
            dataSource={table.rows}
            columns={[
              { title: '#', render: (_, _r, i) => i + 1, width: 40 },
              ...table.inputs.map((input, c) => ({
                title: input.label || input.id,
                render: (_: unknown, row: DecisionTable['rows'][number], r: number) => <Input aria-label={`${l.rows} ${r + 1} ${input.label || input.id}`} className="code-text" value={row.cells[c] ?? ''} onChange={(e) => setCell(r, c, e.target.value)} />,
              })),
              { title: l.decision, render: (_, row, r) => <Select aria-label={`${l.rows} ${r + 1} ${l.decision}`} value={row.decision} style={{ minWidth: 150 }} onChange={(v) => setRow(r, { decision: v })} options={decisionOptions} /> },
              { title: l.reason, render: (_, row, r) => <Input aria-label={`${l.rows} ${r + 1} ${l.reason}`} value={row.reason} onChange={(e) => setRow(r, { reason: e.target.value })} /> },
              { title: '', render: (_, _row, r) => <Button aria-label={`${l.remove} ${r + 1}`} icon={<DeleteOutlined aria-hidden />} disabled={table.rows.length === 1} onClick={() => setTable({ ...table, rows: table.rows.filter((_, k) => k !== r) })} /> },
            ]}
          />
        </Card>
        <Card title={<h2 className="card-title">{l.tests}</h2>} extra={<Button icon={<PlusOutlined aria-hidden />} onClick={() => setTests([...tests, { name: '', inputs: '{}', expected: 'approve' }])}>{l.addTest}</Button>}>
          <Table
            rowKey={(_, i) => String(i)}
            pagination={false}
            size="small"
            scroll={{ x: true }}
            dataSource={tests}
            columns={[
              { title: l.testName, render: (_, t, i) => <Input aria-label={`${l.testName} ${i + 1}`} value={t.name} onChange={(e) => setTests(tests.map((x, k) => (k === i ? { ...x, name: e.target.value } : x)))} /> },
              { title: l.testInputs, render: (_, t, i) => <Input aria-label={`${l.testInputs} ${i + 1}`} className="code-text" value={t.inputs} onChange={(e) => setTests(tests.map((x, k) => (k === i ? { ...x, inputs: e.target.value } : x)))} /> },
              { title: l.expected, render: (_, t, i) => <Select aria-label={`${l.expected} ${i + 1}`} value={t.expected} style={{ minWidth: 150 }} onChange={(v) => setTests(tests.map((x, k) => (k === i ? { ...x, expected: v } : x)))} options={decisionOptions} /> },
              {
                title: '',
                render: (_, t, i) => {
                  const result = report?.results.find((r) => r.name === t.name);
                  return (
                    <Space>
                      {result && <Tag color={result.passed ? 'green' : 'red'}>{l.decisions[result.actual]}</Tag>}
                      <Button aria-label={`${l.remove} ${i + 1}`} icon={<DeleteOutlined aria-hidden />} onClick={() => setTests(tests.filter((_, k) => k !== i))} />
                    </Space>
                  );
                },
              },
            ]}
          />
          {report && <Alert className="rules-report" type={report.passed ? 'success' : 'warning'} showIcon title={report.passed ? l.testsPassed(report.total) : l.testsFailed(report.failed, report.total)} />}
        </Card>
        <div className="form-alert" role="alert">
          <ProblemAlert error={error} unmatched={error instanceof ApiError ? error.errors : []} />
        </div>
        <Space wrap>
          <Button type="primary" onClick={() => void run('save')} loading={busy === 'save'}>{l.save}</Button>
          <Button onClick={() => void run('test')} loading={busy === 'test'} disabled={!lockVersion}>{l.runTests}</Button>
          <Button onClick={() => void run('publish')} loading={busy === 'publish'} disabled={!lockVersion}>{l.publish}</Button>
        </Space>
      </Space>
    </div>
  );
}

import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Select, Skeleton, Space, Table } from 'antd';
import { DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import type { FieldProblem } from '../../../app/api';
import { useI18n, usePageTitle } from '../../../app/i18n';
import { PageHeading } from '../../../app/layout/chrome';
import { ProblemAlert, useProblemText } from '../../../app/problems';
import { useApi } from '../../../app/useApi';
import { catalogApi, type SynonymEntry } from '../api';
import { SYNONYMS_PATH, toNamePath } from './shared';

interface Values {
  entries: SynonymEntry[];
}

/** Search synonyms: a table of term → expansions, edited in place and saved as a whole. */
export function SynonymsPage() {
  const { t } = useI18n();
  const s = t.catalog.admin.synonyms;
  const problemText = useProblemText();
  const synonyms = useApi<{ entries: SynonymEntry[] }>(SYNONYMS_PATH);
  usePageTitle(s.title);
  return (
    <div className="page">
      <PageHeading title={s.title} intro={s.intro} />
      <Card>
        {synonyms.loading && !synonyms.data ? (
          <Skeleton active />
        ) : synonyms.error ? (
          <Alert type="error" showIcon title={problemText(synonyms.error)} />
        ) : (
          <SynonymsForm initial={synonyms.data!.entries} onSaved={synonyms.reload} />
        )}
      </Card>
    </div>
  );
}

function SynonymsForm({ initial, onSaved }: { initial: SynonymEntry[]; onSaved(): void }) {
  const { t } = useI18n();
  const s = t.catalog.admin.synonyms;
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    setUnmatched([]);
    try {
      const entries = (values.entries ?? []).map((e) => ({ term: e.term.trim(), expansions: e.expansions.map((x) => x.trim()).filter(Boolean) }));
      await catalogApi.saveSynonyms(entries);
      message.success(s.saved);
      onSaved();
    } catch (err) {
      const rest: FieldProblem[] = [];
      const fields: Array<{ name: ['entries', number, 'term' | 'expansions']; errors: string[] }> = [];
      for (const p of (err as { errors?: FieldProblem[] }).errors ?? []) {
        const name = toNamePath(p.field);
        if (name[0] === 'entries' && typeof name[1] === 'number' && (name[2] === 'term' || name[2] === 'expansions')) fields.push({ name: ['entries', name[1], name[2]], errors: [p.message] });
        else rest.push(p);
      }
      form.setFields(fields);
      setUnmatched(rest);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values> form={form} name="synonyms" onFinish={submit} initialValues={{ entries: initial }}>
      <Form.List name="entries">
        {(rows, { add, remove }) => (
          <>
            <Table
              rowKey="key"
              size="small"
              dataSource={rows}
              pagination={false}
              locale={{ emptyText: s.empty }}
              scroll={{ x: 640 }}
              columns={[
                {
                  title: s.term,
                  key: 'term',
                  width: 220,
                  render: (_, row, index) => (
                    <Form.Item
                      name={[row.name, 'term']}
                      className="table-form-item"
                      rules={[
                        { required: true, whitespace: true, message: t.common.required(s.term) },
                        ({ getFieldValue }) => ({
                          validator: async (_rule, value?: string) => {
                            const all = (getFieldValue('entries') as SynonymEntry[]).map((e) => e?.term?.trim());
                            if (value && all.filter((x) => x === value.trim()).length > 1) throw new Error(s.termDuplicate);
                          },
                        }),
                      ]}
                    >
                      <Input aria-label={`${s.term} ${index + 1}`} maxLength={30} />
                    </Form.Item>
                  ),
                },
                {
                  title: s.expansions,
                  key: 'expansions',
                  render: (_, row, index) => (
                    <Form.Item name={[row.name, 'expansions']} className="table-form-item" rules={[{ required: true, type: 'array', min: 1, message: t.common.required(s.expansions) }]}>
                      <Select mode="tags" aria-label={`${s.expansions} ${index + 1}`} open={false} suffixIcon={null} tokenSeparators={[',', '，', '、']} placeholder={s.expansionsHelp} />
                    </Form.Item>
                  ),
                },
                {
                  title: t.common.actions,
                  key: 'actions',
                  width: 80,
                  render: (_, row, index) => (
                    <Button type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={t.catalog.admin.removeNamed(`${s.term} ${index + 1}`)} onClick={() => remove(row.name)} />
                  ),
                },
              ]}
            />
            <Space className="pager" wrap>
              <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({ term: '', expansions: [] })}>
                {s.add}
              </Button>
              <Button type="primary" htmlType="submit" icon={<SaveOutlined aria-hidden />} loading={busy}>
                {s.save}
              </Button>
            </Space>
          </>
        )}
      </Form.List>
      <div className="form-alert" style={{ marginTop: 16 }}>
        <ProblemAlert error={error} unmatched={unmatched} />
      </div>
    </Form>
  );
}

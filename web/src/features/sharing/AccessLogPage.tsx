import { useState } from 'react';
import { Alert, Button, Select, Tabs, type TableColumnsType } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { ACCESS_OUTCOMES } from '@server/shared/sharing-codes';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useSession } from '../../app/session';
import { useApi } from '../../app/useApi';
import { CursorTable } from '../catalog/CursorTable';
import { useCursorList } from '../catalog/useCursorList';
import { formatInstant } from '../cases/format';
import { ACCESS_LOG_PATH, RESOURCES_PATH, sharingApi, type AccessLogEntry, type LogVerification, type Resource } from './api';
import { useDepartmentOptions } from './CatalogPage';
import { OutcomeTag, useFieldLabels, useReasonText, useSharingLabels } from './codes';
import './sharing.css';

type Side = 'provider' | 'consumer';

function LogTable({ side, departmentId }: { side: Side; departmentId: string | undefined }) {
  const { t } = useI18n();
  const l = t.sharing.accessLog;
  const s = t.sharing.common;
  const labels = useSharingLabels();
  const reasonText = useReasonText();
  const fieldLabels = useFieldLabels();
  const [outcome, setOutcome] = useState<string | undefined>();
  const [resourceId, setResourceId] = useState<string | undefined>();
  // On the provider side the filter offers the department's own resources, drafts and withdrawn ones included.
  const resources = useApi<{ items: Resource[] }>(side === 'provider' && departmentId ? RESOURCES_PATH : null, { departmentId, limit: 100 });
  const list = useCursorList<AccessLogEntry>(ACCESS_LOG_PATH, { side, departmentId, outcome, resourceId });

  const columns: TableColumnsType<AccessLogEntry> = [
    { title: l.at, dataIndex: 'at', render: (v: string) => formatInstant(v) },
    { title: s.resource, dataIndex: 'resourceName' },
    side === 'provider'
      ? { title: s.consumer, dataIndex: 'consumerDepartmentName', render: (v: string | null) => v ?? '' }
      : { title: s.provider, dataIndex: 'providerDepartmentName' },
    { title: l.subject, dataIndex: 'subjectMasked', render: (v: string) => <span className="code-text">{v}</span> },
    { title: l.caseRef, dataIndex: 'caseRef', render: (v: string | null) => (v ? <span className="code-text">{v}</span> : '') },
    { title: l.kind, dataIndex: 'kind', render: (v: string) => labels.kind(v) },
    { title: s.fields, dataIndex: 'fields', render: (f: string[], row) => fieldLabels(row.resourceId, f) },
    { title: l.outcome, dataIndex: 'outcome', render: (v: AccessLogEntry['outcome'], row) => (
        <>
          <OutcomeTag value={v} />
          {row.reason && <span className="muted-note">{reasonText(row.reason)}</span>}
        </>
      ) },
    { title: s.purpose, dataIndex: 'purpose', render: (v: string | null) => v ?? '' },
    { title: l.digest, dataIndex: 'responseDigest', render: (v: string | null) => (v ? <code title={v}>{v.slice(0, 12)}…</code> : '') },
  ];

  return (
    <>
      <div className="toolbar sharing-toolbar">
        <Select
          aria-label={l.filterOutcome}
          allowClear
          placeholder={l.allOutcomes}
          value={outcome}
          onChange={(v?: string) => setOutcome(v)}
          options={ACCESS_OUTCOMES.map((o) => ({ value: o, label: labels.outcome(o) }))}
          className="sharing-filter"
        />
        {side === 'provider' && (
          <Select
            aria-label={l.filterResource}
            allowClear
            placeholder={l.allResources}
            value={resourceId}
            onChange={(v?: string) => setResourceId(v)}
            options={(resources.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
            className="sharing-filter"
          />
        )}
      </div>
      <CursorTable<AccessLogEntry> list={list} columns={columns} rowKey="id" caption={side === 'provider' ? l.provider : l.consumer} empty={l.empty} />
    </>
  );
}

/** Verifying every hash chain of the log (system administrators). */
function VerifyButton() {
  const { t } = useI18n();
  const l = t.sharing.accessLog;
  const [result, setResult] = useState<LogVerification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    setError(null);
    setResult(null);
    try {
      setResult(await sharingApi.verifyLog());
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="verify-log">
      <Button icon={<SafetyCertificateOutlined aria-hidden />} onClick={run} loading={running}>
        {l.verify}
      </Button>
      <div role="status" className="verify-result">
        {result &&
          (result.ok ? (
            <Alert type="success" showIcon title={l.verifyOk(result.checked, result.chains)} />
          ) : (
            <Alert type="error" showIcon title={l.verifyBroken(result.firstBrokenId ?? 0, result.reason ?? '')} />
          ))}
      </div>
      <ProblemAlert error={error} />
    </div>
  );
}

/** The access log: every look-up of our data (provider), every look-up we made (consumer). */
export function AccessLogPage() {
  const { t } = useI18n();
  const l = t.sharing.accessLog;
  usePageTitle(l.title);
  const { me } = useSession();
  const systemAdmin = me?.user.roles.includes('system_admin') ?? false;
  const [search, setSearch] = useSearchParams();
  const side: Side = search.get('side') === 'consumer' ? 'consumer' : 'provider';
  const departments = useDepartmentOptions();
  const [departmentId, setDepartmentId] = useState<string | undefined>(me?.user.departmentId || undefined);

  return (
    <div className="page page-wide">
      <PageHeading title={l.title} intro={l.intro} extra={systemAdmin ? <VerifyButton /> : undefined} />
      {systemAdmin && (
        <div className="toolbar sharing-toolbar">
          <Select
            aria-label={l.filterDepartment}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={l.chooseDepartment}
            options={departments}
            value={departmentId}
            onChange={(v: string) => setDepartmentId(v)}
            className="sharing-filter"
          />
        </div>
      )}
      <Tabs
        activeKey={side}
        onChange={(key) => setSearch(key === 'consumer' ? { side: 'consumer' } : {}, { replace: true })}
        items={[
          { key: 'provider', label: l.provider, children: side === 'provider' ? <LogTable key={departmentId} side="provider" departmentId={departmentId} /> : null },
          { key: 'consumer', label: l.consumer, children: side === 'consumer' ? <LogTable key={departmentId} side="consumer" departmentId={departmentId} /> : null },
        ]}
      />
    </div>
  );
}

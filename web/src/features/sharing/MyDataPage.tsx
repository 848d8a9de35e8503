import { App, Button, Empty, Skeleton, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import { useSearchParams } from 'react-router';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert, useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { LoadMore } from '../catalog/CursorTable';
import { useCursorList } from '../catalog/useCursorList';
import { formatInstant } from '../cases/format';
import { MY_CONSENTS_PATH, MY_DATA_ACCESS_PATH, sharingApi, type Consent, type MyDataAccess } from './api';
import { OutcomeTag, useSharingLabels } from './codes';
import '../cases/cases.css';
import './sharing.css';

/** 谁查看了我的数据: every look-up about the signed-in person or enterprise, for which case, when (a list: it reads well on a phone). */
function AccessList() {
  const { t } = useI18n();
  const m = t.sharing.me;
  const labels = useSharingLabels();
  const list = useCursorList<MyDataAccess>(MY_DATA_ACCESS_PATH, {});
  if (list.loading && list.items.length === 0) return <Skeleton active />;
  return (
    <>
      {list.error !== null && <ProblemAlert error={list.error} />}
      {list.items.length === 0 && list.error === null ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={m.accessEmpty} />
      ) : (
        <ul className="case-list" aria-label={m.access}>
          {list.items.map((row) => (
            <li key={row.id} className="case-row access-row">
              <div className="case-row-main">
                <h2 className="case-row-title">{row.consumerDepartmentName ?? row.providerDepartmentName}</h2>
                <div className="case-row-meta">
                  <span>{t.sharing.prefill.from(row.resourceName, row.providerDepartmentName)}</span>
                  <span>{row.fields.map((f) => f.label).join('、')}</span>
                </div>
              </div>
              <dl className="case-row-facts">
                <div>
                  <dt>{m.at}</dt>
                  <dd>{formatInstant(row.at)}</dd>
                </div>
                <div>
                  <dt>{m.kind}</dt>
                  <dd>{labels.kind(row.kind)}</dd>
                </div>
                {row.caseRef && (
                  <div>
                    <dt>{m.caseRef}</dt>
                    <dd className="code-text">{row.caseRef}</dd>
                  </div>
                )}
                <div>
                  <dt>{m.outcome}</dt>
                  <dd>
                    <OutcomeTag value={row.outcome} />
                  </dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <LoadMore list={list} />
    </>
  );
}

function ConsentList() {
  const { t } = useI18n();
  const m = t.sharing.me;
  const { message, modal } = App.useApp();
  const problemText = useProblemText();
  const consents = useApi<{ items: Consent[] }>(MY_CONSENTS_PATH);
  const now = Date.now();
  const withdraw = (row: Consent) =>
    modal.confirm({
      title: m.withdrawOf(row.departmentName),
      content: m.withdrawConfirm,
      okText: m.withdraw,
      okButtonProps: { danger: true },
      cancelText: t.common.cancel,
      onOk: async () => {
        try {
          await sharingApi.withdrawConsent(row.id);
          message.success(m.withdrawn);
          consents.reload();
        } catch (err) {
          message.error(problemText(err));
        }
      },
    });
  const columns: TableColumnsType<Consent> = [
    { title: m.givenAt, dataIndex: 'createdAt', render: (v: string) => formatInstant(v) },
    { title: m.department, dataIndex: 'departmentName' },
    { title: m.item, dataIndex: 'itemCode', render: (v: string) => <span className="code-text">{v}</span> },
    { title: m.resources, dataIndex: 'resourceIds', render: (ids: string[]) => ids.length },
    { title: t.sharing.common.expiresAt, dataIndex: 'expiresAt', render: (v: string) => formatInstant(v) },
    {
      title: m.consentState,
      key: 'state',
      render: (_, row) =>
        row.withdrawnAt ? <Tag>{m.consentWithdrawn}</Tag> : new Date(row.expiresAt).getTime() <= now ? <Tag>{m.consentExpired}</Tag> : <Tag color="green">{m.consentActive}</Tag>,
    },
    {
      title: t.common.actions,
      key: 'actions',
      render: (_, row) =>
        !row.withdrawnAt && new Date(row.expiresAt).getTime() > now ? (
          <Button danger onClick={() => withdraw(row)} aria-label={m.withdrawOf(row.departmentName)}>
            {m.withdraw}
          </Button>
        ) : null,
    },
  ];
  return (
    <>
      {consents.error !== null && <ProblemAlert error={consents.error} />}
      <Table<Consent>
        rowKey="id"
        size="middle"
        loading={consents.loading}
        dataSource={consents.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        title={() => <span className="visually-hidden">{m.consents}</span>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={m.consentsEmpty} /> }}
      />
    </>
  );
}

/** The applicant's data page: who looked up their data, and their prefill consents. */
export function MyDataPage() {
  const { t } = useI18n();
  const m = t.sharing.me;
  usePageTitle(m.title);
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'consents' ? 'consents' : 'access';
  return (
    <div className="page page-wide">
      <PageHeading title={m.title} intro={m.intro} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearch(key === 'consents' ? { tab: 'consents' } : {}, { replace: true })}
        items={[
          { key: 'access', label: m.access, children: tab === 'access' ? <AccessList /> : null },
          { key: 'consents', label: m.consents, children: tab === 'consents' ? <ConsentList /> : null },
        ]}
      />
    </div>
  );
}

import { Alert, Card, Grid, Skeleton, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import type { IntermediaryEntry, ItemSummary, List, NoVisitList, ProofEntry } from './api';
import { ItemList } from './ItemList';
import { useCursorList } from './useCursorList';
import { LoadMore } from './CursorTable';

export const NO_VISIT_PATH = '/api/v1/catalog/no-visit';
export const PUBLIC_PROOFS_PATH = '/api/v1/catalog/proofs';
export const PUBLIC_INTERMEDIARIES_PATH = '/api/v1/catalog/intermediaries';

/** The no-visit (不见面审批) list: items needing no visit at all, with their share of all items. */
export function NoVisitPage() {
  const { t } = useI18n();
  const n = t.catalog.noVisit;
  const problemText = useProblemText();
  const list = useCursorList<ItemSummary, NoVisitList>(NO_VISIT_PATH, { limit: 50 });
  usePageTitle(n.title);
  const first = list.first;
  return (
    <div className="page">
      <PageHeading title={n.title} intro={n.intro} />
      {list.error !== null && list.error !== undefined && <Alert type="error" showIcon title={problemText(list.error)} />}
      {list.loading && !first ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        first && (
          <Card>
            <Typography.Paragraph strong role="status">
              {n.share(first.count, first.share === null ? '—' : t.catalog.pct(first.share))}
            </Typography.Paragraph>
            <ItemList items={list.items} headingLevel={2} />
            <LoadMore list={list} />
          </Card>
        )
      )}
    </div>
  );
}

function ItemLinks({ items }: { items: Array<{ implementationCode: string; name: string }> }) {
  return (
    <ul className="compact-list">
      {items.map((item) => (
        <li key={item.implementationCode}>
          <Link to={`/items/${encodeURIComponent(item.implementationCode)}`}>{item.name}</Link>
        </li>
      ))}
    </ul>
  );
}

/** The published retained-proofs list (§8-9): only these may be asked of an applicant. */
export function ProofsListPage() {
  const { t } = useI18n();
  const p = t.catalog.proofs;
  const problemText = useProblemText();
  const proofs = useApi<List<ProofEntry>>(PUBLIC_PROOFS_PATH);
  const wide = Grid.useBreakpoint().md !== false;
  usePageTitle(p.title);
  const rows = (proofs.data?.items ?? []).filter((proof) => proof.status === 'published');
  return (
    <div className="page">
      <PageHeading title={p.title} intro={p.intro} />
      {proofs.error ? (
        <Alert type="error" showIcon title={problemText(proofs.error)} />
      ) : wide ? (
        <Card>
          <Table<ProofEntry>
            rowKey="id"
            loading={proofs.loading}
            dataSource={rows}
            pagination={false}
            locale={{ emptyText: p.empty }}
            scroll={{ x: 1100 }}
            columns={[
              { title: p.code, dataIndex: 'code', width: 100 },
              { title: p.name, dataIndex: 'name', width: 180, render: (name: string) => <strong>{name}</strong> },
              { title: p.legalBasis, dataIndex: 'legalBasis' },
              { title: p.requestingUnit, dataIndex: 'requestingUnit' },
              { title: p.issuingUnit, dataIndex: 'issuingUnit' },
              { title: p.guide, dataIndex: 'guide' },
              { title: t.catalog.intermediaries.items, dataIndex: 'items', width: 170, render: (items: ProofEntry['items']) => <ItemLinks items={items} /> },
            ]}
          />
        </Card>
      ) : proofs.loading ? (
        <Skeleton active />
      ) : (
        <ol className="entry-list">
          {rows.map((proof) => (
            <li key={proof.id}>
              <Card size="small" title={<h2 className="card-title">{proof.name}</h2>} extra={proof.code}>
                <dl className="entry-facts">
                  <dt>{p.legalBasis}</dt>
                  <dd>{proof.legalBasis}</dd>
                  <dt>{p.requestingUnit}</dt>
                  <dd>{proof.requestingUnit}</dd>
                  <dt>{p.issuingUnit}</dt>
                  <dd>{proof.issuingUnit}</dd>
                  <dt>{p.guide}</dt>
                  <dd>{proof.guide}</dd>
                  {proof.items.length > 0 && (
                    <>
                      <dt>{t.catalog.intermediaries.items}</dt>
                      <dd>
                        <ItemLinks items={proof.items} />
                      </dd>
                    </>
                  )}
                </dl>
              </Card>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The published intermediary services list (§22-25), each with its fee standard and the items requiring it. */
export function IntermediariesListPage() {
  const { t } = useI18n();
  const m = t.catalog.intermediaries;
  const problemText = useProblemText();
  const list = useApi<List<IntermediaryEntry>>(PUBLIC_INTERMEDIARIES_PATH);
  const wide = Grid.useBreakpoint().md !== false;
  usePageTitle(m.title);
  const rows = (list.data?.items ?? []).filter((entry) => entry.status === 'published');
  return (
    <div className="page">
      <PageHeading title={m.title} intro={m.intro} />
      {list.error ? (
        <Alert type="error" showIcon title={problemText(list.error)} />
      ) : wide ? (
        <Card>
          <Table<IntermediaryEntry>
            rowKey="id"
            loading={list.loading}
            dataSource={rows}
            pagination={false}
            locale={{ emptyText: m.empty }}
            scroll={{ x: 1100 }}
            columns={[
              { title: m.code, dataIndex: 'code', width: 100 },
              { title: m.name, dataIndex: 'name', width: 200, render: (name: string) => <strong>{name}</strong> },
              { title: m.legalBasis, dataIndex: 'legalBasis' },
              { title: m.feeStandard, dataIndex: 'feeStandard' },
              { title: m.providerRequirements, dataIndex: 'providerRequirements', render: (v: string | null) => v ?? '' },
              { title: m.items, dataIndex: 'items', width: 170, render: (items: IntermediaryEntry['items']) => <ItemLinks items={items} /> },
            ]}
          />
        </Card>
      ) : list.loading ? (
        <Skeleton active />
      ) : (
        <ol className="entry-list">
          {rows.map((entry) => (
            <li key={entry.id}>
              <Card size="small" title={<h2 className="card-title">{entry.name}</h2>} extra={entry.code}>
                <dl className="entry-facts">
                  <dt>{m.legalBasis}</dt>
                  <dd>{entry.legalBasis}</dd>
                  <dt>{m.feeStandard}</dt>
                  <dd>{entry.feeStandard}</dd>
                  {entry.providerRequirements && (
                    <>
                      <dt>{m.providerRequirements}</dt>
                      <dd>{entry.providerRequirements}</dd>
                    </>
                  )}
                  {entry.items.length > 0 && (
                    <>
                      <dt>{m.items}</dt>
                      <dd>
                        <ItemLinks items={entry.items} />
                      </dd>
                    </>
                  )}
                </dl>
              </Card>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

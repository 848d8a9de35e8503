import type { ReactNode } from 'react';
import { Anchor, Card, Col, Collapse, Descriptions, Empty, Grid, Row, Space, Steps, Table, Tag, Typography } from 'antd';
import { ClockCircleOutlined, DownloadOutlined, EnvironmentOutlined, PhoneOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { FOUR_WAYS, splitImplementationCode } from '@server/shared/catalog-codes';
import { useI18n } from '../../app/i18n';
import { formatFen, type Guide, type ItemContent } from './api';
import { FourWayBadges, useCodeLabels } from './codes';

type Material = ItemContent['materials'][number];

/** A hall's place on Amap (高德地图), searched by address: works on phones (opens the app) and desktops. */
export function mapLink(address: string): string {
  return `https://uri.amap.com/search?keyword=${encodeURIComponent(address)}`;
}

export function fileLink(fileId: string): string {
  return `/api/v1/files/${encodeURIComponent(fileId)}`;
}

const REQUIREMENT_COLORS: Record<string, string> = { required: 'red', deferrable: 'orange', optional: 'default' };

/** One section of the guide: a card with an h2 (or h3 when embedded), addressable from the table of contents. */
function Section({ id, title, level, children }: { id: string; title: string; level: 2 | 3; children: ReactNode }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="guide-section">
      <Card
        title={
          <Heading id={`${id}-title`} className="card-title">
            {title}
          </Heading>
        }
      >
        {children}
      </Card>
    </section>
  );
}

/**
 * The guide of one item version: everything a citizen needs to apply without a phone call. Used by
 * the public guide page and, with `embedded`, as the preview in the catalog workbench.
 */
export function GuideView({ guide, embedded = false, actions }: { guide: Guide; embedded?: boolean; actions?: ReactNode }) {
  const { t, roleLabel } = useI18n();
  const c = t.catalog.guide;
  const labels = useCodeLabels();
  const screens = Grid.useBreakpoint();
  const wide = screens.md !== false;
  const level: 2 | 3 = embedded ? 3 : 2;
  const H1 = embedded ? 'h2' : 'h1';
  const exerciseLevel = guide.exerciseLevel ?? splitImplementationCode(guide.implementationCode)?.exerciseLevel;
  const proofName = new Map(guide.proofs.map((p) => [p.id, p.name]));
  const fee = guide.fees.free ? c.free : guide.fees.items.map((f) => `${f.name} ${formatFen(f.amountFen)}`).join('；');
  const days = (n: number) => (n === 0 ? t.catalog.immediateDays : t.catalog.days(n));

  const sections: Array<{ id: string; title: string; body: ReactNode; show: boolean }> = [
    { id: 'guide-basic', title: c.basic, show: true, body: <BasicInfo guide={guide} exerciseLevel={exerciseLevel} wide={wide} /> },
    {
      id: 'guide-conditions',
      title: c.conditions,
      show: guide.acceptanceConditions.length > 0,
      body: (
        <ol className="guide-list">
          {guide.acceptanceConditions.map((condition, i) => (
            <li key={i}>{condition}</li>
          ))}
        </ol>
      ),
    },
    {
      id: 'guide-materials',
      title: c.materials,
      show: true,
      body: guide.materials.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.catalog.none} /> : <Materials materials={guide.materials} proofName={proofName} wide={wide} />,
    },
    {
      id: 'guide-procedure',
      title: c.procedure,
      show: guide.procedure.length > 0,
      body: (
        <Steps
          orientation={wide && guide.procedure.length <= 6 ? 'horizontal' : 'vertical'}
          current={-1}
          className="guide-steps"
          items={guide.procedure.map((step) => ({
            title: step.name,
            content: (
              <>
                <div>{roleLabel(step.role)}</div>
                <div>{c.stepDays(step.days)}</div>
              </>
            ),
          }))}
        />
      ),
    },
    {
      id: 'guide-time',
      title: c.timeLimits,
      show: true,
      body: (
        <>
          <Descriptions
            bordered
            size="small"
            layout={wide ? 'horizontal' : 'vertical'}
            column={{ xs: 1, sm: 1, md: 3 }}
            items={[
              { key: 'legal', label: c.legalDays, children: days(guide.legalDays) },
              { key: 'promised', label: c.promisedDays, children: <strong>{days(guide.promisedDays)}</strong> },
              { key: 'kind', label: c.caseKind, children: labels.caseKind(guide.caseKind) },
            ]}
          />
          <Typography.Paragraph type="secondary" className="guide-note">
            {c.timeLimitNote}
          </Typography.Paragraph>
          {guide.specialProcedures.length > 0 && (
            <>
              <Typography.Title level={(level + 1) as 3 | 4} className="guide-subtitle">
                {c.specialProcedures}
              </Typography.Title>
              <ul className="guide-list">
                {guide.specialProcedures.map((p, i) => (
                  <li key={i}>
                    {p.name}（{labels.specialProcedure(p.kind)}）：{t.catalog.days(p.days)}
                  </li>
                ))}
              </ul>
              <Typography.Paragraph type="secondary">{c.specialNote}</Typography.Paragraph>
            </>
          )}
        </>
      ),
    },
    {
      id: 'guide-fees',
      title: c.fees,
      show: true,
      body: guide.fees.free ? (
        <Typography.Paragraph strong className="guide-free">
          {c.free}
        </Typography.Paragraph>
      ) : (
        <Table
          rowKey={(_, i) => String(i)}
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={guide.fees.items}
          columns={[
            { title: c.feeName, dataIndex: 'name' },
            { title: c.amount, dataIndex: 'amountFen', align: 'right', render: (fen: number) => formatFen(fen) },
            { title: c.feeBasis, dataIndex: 'basis' },
          ]}
        />
      ),
    },
    {
      id: 'guide-results',
      title: c.results,
      show: guide.results.length > 0,
      body: (
        <ul className="guide-list">
          {guide.results.map((r, i) => (
            <li key={i}>
              {r.name} <Tag>{labels.resultKind(r.kind)}</Tag>
            </li>
          ))}
        </ul>
      ),
    },
    { id: 'guide-halls', title: c.halls, show: true, body: <Halls guide={guide} level={(level + 1) as 3 | 4} /> },
    {
      id: 'guide-handling',
      title: c.handling,
      show: true,
      body: (
        <Descriptions
          bordered
          size="small"
          layout={wide ? 'horizontal' : 'vertical'}
          column={{ xs: 1, sm: 1, md: 2 }}
          items={[
            { key: 'ways', label: c.fourWays, children: FOUR_WAYS.some((w) => guide.handling[w]) ? <FourWayBadges handling={guide.handling} /> : t.catalog.none },
            { key: 'forms', label: c.handlingForms, children: guide.handlingForms.map((f) => labels.handlingForm(f)).join('、') || t.catalog.none },
            { key: 'depth', label: c.onlineDepth, children: labels.onlineDepth(guide.onlineDepth) },
            { key: 'visits', label: c.visits, children: c.visitsN(guide.visitsRequired) },
            { key: 'appointment', label: c.appointment, children: guide.appointment ? t.catalog.yes : t.catalog.no },
            { key: 'express', label: c.express, children: guide.expressDelivery ? t.catalog.yes : t.catalog.no },
            { key: 'payment', label: c.onlinePayment, children: guide.onlinePayment ? t.catalog.yes : t.catalog.no },
          ]}
        />
      ),
    },
    {
      id: 'guide-legal',
      title: c.legalBasis,
      show: guide.legalBasis.length > 0,
      body: (
        <ul className="guide-list guide-basis">
          {guide.legalBasis.map((basis, i) => (
            <li key={i}>
              <strong>{basis.title}</strong>
              {basis.article && <span> {basis.article}</span>}
              {basis.text && <blockquote className="guide-quote">{basis.text}</blockquote>}
            </li>
          ))}
        </ul>
      ),
    },
    {
      id: 'guide-intermediaries',
      title: c.intermediaries,
      show: guide.intermediaries.length > 0,
      body: (
        <ul className="guide-list">
          {guide.intermediaries.map((s) => (
            <li key={s.id}>
              <Link to="/catalog/intermediaries">{s.name}</Link>
              {s.feeStandard && (
                <span>
                  {' '}
                  · {t.catalog.intermediaries.feeStandard}：{s.feeStandard}
                </span>
              )}
            </li>
          ))}
        </ul>
      ),
    },
    {
      id: 'guide-faq',
      title: c.faq,
      show: guide.faq.length > 0,
      body: (
        // Every answer is rendered (forceRender) so printing can show them all, collapsed or not.
        <Collapse
          className="guide-faq"
          items={guide.faq.map((f, i) => ({
            key: String(i),
            label: f.question,
            forceRender: true,
            children: <Typography.Paragraph className="guide-answer">{f.answer}</Typography.Paragraph>,
          }))}
        />
      ),
    },
    {
      id: 'guide-contact',
      title: c.contact,
      show: Boolean(guide.enquiryPhone || guide.complaintPhone),
      body: (
        <dl className="guide-contact">
          {guide.enquiryPhone && (
            <div>
              <dt>{c.enquiryPhone}</dt>
              <dd>
                <a href={`tel:${guide.enquiryPhone}`}>{guide.enquiryPhone}</a>
              </dd>
            </div>
          )}
          {guide.complaintPhone && (
            <div>
              <dt>{c.complaintPhone}</dt>
              <dd>
                <a href={`tel:${guide.complaintPhone}`}>{guide.complaintPhone}</a>
              </dd>
            </div>
          )}
        </dl>
      ),
    },
  ];
  const shown = sections.filter((s) => s.show);

  return (
    <article className="guide" aria-labelledby="guide-title">
      <header className="guide-header">
        <div className="guide-header-text">
          <H1 id="guide-title" className={embedded ? 'guide-title-embedded' : 'guide-title'}>
            {guide.name}
          </H1>
          <div className="guide-meta">
            <span>{guide.departmentName}</span>
            {guide.effectiveFrom && <span>{c.versionLine(guide.version, guide.effectiveFrom)}</span>}
          </div>
          <FourWayBadges handling={guide.handling} />
        </div>
        {actions && <div className="guide-actions no-print">{actions}</div>}
      </header>

      <section aria-labelledby="guide-summary-title" className="guide-summary">
        <Heading level={level} id="guide-summary-title" className="visually-hidden">
          {c.summary}
        </Heading>
        <dl className="guide-facts">
          <div>
            <dt>{c.promisedDays}</dt>
            <dd>{days(guide.promisedDays)}</dd>
          </div>
          <div>
            <dt>{c.legalDays}</dt>
            <dd>{days(guide.legalDays)}</dd>
          </div>
          <div>
            <dt>{c.fee}</dt>
            <dd>{guide.fees.free ? c.free : `${fee}`}</dd>
          </div>
          <div>
            <dt>{c.visits}</dt>
            <dd>{c.visitsN(guide.visitsRequired)}</dd>
          </div>
        </dl>
      </section>

      <Row gutter={[24, 16]}>
        <Col xs={24} xl={embedded ? 24 : 19} className="guide-main">
          <Space orientation="vertical" size={16} className="guide-sections">
            {shown.map((s) => (
              <Section key={s.id} id={s.id} title={s.title} level={level}>
                {s.body}
              </Section>
            ))}
          </Space>
        </Col>
        {!embedded && screens.xl && (
          <Col xl={5} className="no-print">
            <nav aria-label={c.contents} className="guide-toc">
              <Typography.Text strong>{c.contents}</Typography.Text>
              <Anchor offsetTop={88} targetOffset={96} items={shown.map((s) => ({ key: s.id, href: `#${s.id}`, title: s.title }))} />
            </nav>
          </Col>
        )}
      </Row>
    </article>
  );
}

function Heading({ level, id, className, children }: { level: 2 | 3; id: string; className?: string; children: ReactNode }) {
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <H id={id} className={className}>
      {children}
    </H>
  );
}

function BasicInfo({ guide, exerciseLevel, wide }: { guide: Guide; exerciseLevel: number | undefined; wide: boolean }) {
  const { t } = useI18n();
  const c = t.catalog.guide;
  const labels = useCodeLabels();
  return (
    <Descriptions
      bordered
      size="small"
      layout={wide ? 'horizontal' : 'vertical'}
      column={{ xs: 1, sm: 1, md: 2 }}
      items={[
        { key: 'impl', label: c.implementationCode, children: <span className="code-text">{guide.implementationCode}</span> },
        { key: 'basic', label: c.basicCode, children: <span className="code-text">{guide.basicCode}</span> },
        { key: 'type', label: c.type, children: labels.itemType(guide.type) },
        { key: 'dept', label: c.department, children: guide.departmentName },
        { key: 'nature', label: c.implementerNature, children: labels.implementerNature(guide.implementerNature) },
        { key: 'level', label: c.exerciseLevel, children: exerciseLevel === undefined ? '' : labels.exerciseLevel(exerciseLevel) },
        { key: 'objects', label: c.serviceObjects, children: guide.serviceObjects.map((o) => labels.serviceObject(o)).join('、') },
        { key: 'kind', label: c.caseKind, children: labels.caseKind(guide.caseKind) },
        ...(guide.subItems.length > 0
          ? [{ key: 'sub', label: c.subItems, span: 'filled' as const, children: guide.subItems.map((s) => s.name).join('；') }]
          : []),
        ...(guide.handlingItems.length > 0
          ? [
              {
                key: 'handling',
                label: c.handlingItems,
                span: 'filled' as const,
                children: guide.handlingItems.map((h) => `${h.name}（${labels.handlingItemKind(h.kind)}）`).join('；'),
              },
            ]
          : []),
      ]}
    />
  );
}

function MaterialTags({ material, proofName }: { material: Material; proofName: Map<string, string> }) {
  const { t } = useI18n();
  const c = t.catalog.guide;
  const eLicense = material.source === 'e_license' || Boolean(material.licenseTypeCode);
  const shared = material.source === 'shared_data' || Boolean(material.resourceId);
  const proof = material.proofId ? proofName.get(material.proofId) : undefined;
  if (!eLicense && !shared && !proof) return null;
  return (
    <span className="material-tags">
      {eLicense && <Tag color="green">{c.eLicense}</Tag>}
      {shared && <Tag color="cyan">{c.sharedData}</Tag>}
      {proof && (
        <Tag color="gold">
          <Link to="/catalog/proofs">{c.proof(proof)}</Link>
        </Tag>
      )}
    </span>
  );
}

function MaterialFiles({ material }: { material: Material }) {
  const { t } = useI18n();
  const c = t.catalog.guide;
  if (!material.sampleFileId && !material.templateFileId) return null;
  return (
    <span className="material-files">
      {material.sampleFileId && (
        <a href={fileLink(material.sampleFileId)} aria-label={c.downloadSample(material.name)}>
          <DownloadOutlined aria-hidden /> {c.sample}
        </a>
      )}
      {material.templateFileId && (
        <a href={fileLink(material.templateFileId)} aria-label={c.downloadTemplate(material.name)}>
          <DownloadOutlined aria-hidden /> {c.template}
        </a>
      )}
    </span>
  );
}

/** A table on wide screens; on a phone a list, one card-like entry a material. */
function Materials({ materials, proofName, wide }: { materials: Material[]; proofName: Map<string, string>; wide: boolean }) {
  const { t } = useI18n();
  const c = t.catalog.guide;
  const labels = useCodeLabels();
  const requirement = (m: Material) => <Tag color={REQUIREMENT_COLORS[m.requirement]}>{labels.materialRequirement(m.requirement)}</Tag>;

  if (!wide) {
    return (
      <ol className="material-list">
        {materials.map((m) => (
          <li key={m.id}>
            <div className="material-name">
              <strong>{m.name}</strong> {requirement(m)}
            </div>
            <dl className="material-facts">
              <dt>{c.source}</dt>
              <dd>{labels.materialSource(m.source)}</dd>
              <dt>{c.paper}</dt>
              <dd>{c.copies(m.originals, m.paperCopies)}</dd>
              {m.notes && (
                <>
                  <dt>{c.notes}</dt>
                  <dd>{m.notes}</dd>
                </>
              )}
            </dl>
            <MaterialTags material={m} proofName={proofName} />
            <MaterialFiles material={m} />
          </li>
        ))}
      </ol>
    );
  }
  return (
    <Table<Material>
      rowKey="id"
      size="small"
      pagination={false}
      className="material-table"
      dataSource={materials}
      columns={[
        { title: '#', key: 'n', width: 44, render: (_, __, i) => i + 1 },
        {
          title: c.materialName,
          dataIndex: 'name',
          render: (name: string, m) => (
            <>
              <div className="material-name">{name}</div>
              {m.notes && <div className="material-notes">{m.notes}</div>}
              <MaterialTags material={m} proofName={proofName} />
            </>
          ),
        },
        { title: c.source, dataIndex: 'source', render: (s: string) => labels.materialSource(s), width: 120 },
        { title: c.requirement, dataIndex: 'requirement', render: (_, m) => requirement(m), width: 120 },
        { title: c.paper, key: 'paper', render: (_, m) => c.copies(m.originals, m.paperCopies), width: 150 },
        ...(materials.some((m) => m.sampleFileId || m.templateFileId) ? [{ title: c.files, key: 'files', render: (_: unknown, m: Material) => <MaterialFiles material={m} />, width: 130 }] : []),
      ]}
    />
  );
}

function Halls({ guide, level }: { guide: Guide; level: 3 | 4 }) {
  const { t } = useI18n();
  const c = t.catalog.guide;
  if (guide.halls.length === 0) return <Typography.Paragraph>{c.hallsEmpty}</Typography.Paragraph>;
  return (
    <Row gutter={[16, 16]}>
      {guide.halls.map((hall) => (
        <Col key={hall.id} xs={24} lg={12}>
          <div className="guide-hall">
            <Typography.Title level={level} className="hall-title">
              {hall.name}
            </Typography.Title>
            <dl className="hall-facts">
              <dt>
                <EnvironmentOutlined aria-hidden /> {c.address}
              </dt>
              <dd>
                {hall.address}{' '}
                <a href={mapLink(hall.address)} target="_blank" rel="noopener noreferrer" aria-label={c.mapLink(hall.name)} className="no-print">
                  {c.openMap}
                </a>
              </dd>
              {hall.phone && (
                <>
                  <dt>
                    <PhoneOutlined aria-hidden /> {c.phone}
                  </dt>
                  <dd>
                    <a href={`tel:${hall.phone}`}>{hall.phone}</a>
                  </dd>
                </>
              )}
              {hall.openingHours && (
                <>
                  <dt>
                    <ClockCircleOutlined aria-hidden /> {c.hours}
                  </dt>
                  <dd>{hall.openingHours}</dd>
                </>
              )}
            </dl>
          </div>
        </Col>
      ))}
    </Row>
  );
}

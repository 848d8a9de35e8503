import { useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Row, Skeleton, Space, Tabs } from 'antd';
import { CheckOutlined, LeftOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useParams } from 'react-router';
import { ApiError, type FieldProblem } from '../../../app/api';
import { useI18n, usePageTitle } from '../../../app/i18n';
import { LinkButton, PageHeading } from '../../../app/layout/chrome';
import { rulesLabels } from '../../rules/labels';
import { applyFieldErrors, ProblemAlert, useProblemText } from '../../../app/problems';
import { useSession } from '../../../app/session';
import { useApi } from '../../../app/useApi';
import { todayInShanghai } from '../../calendar/api';
import { ADMIN_ITEMS_PATH, adminVersionPath, catalogApi, type AdminItem, type ItemVersionDetail } from '../api';
import { GuideView } from '../GuideView';
import { DiffView } from './DiffView';
import { ItemEditor, ProblemsCard } from './ItemEditor';
import { catalogPaths, formatInstant, previewGuide, useLookups, VersionStatusTag, type Lookups } from './shared';

/** One version of an item: the editor while it is a draft, otherwise the review screen (diff, preview, lifecycle actions). */
export function VersionPage() {
  const { t } = useI18n();
  const problemText = useProblemText();
  const { implementationCode = '', version = '' } = useParams();
  const detail = useApi<ItemVersionDetail>(adminVersionPath(implementationCode, version));
  const item = useApi<AdminItem>(`${ADMIN_ITEMS_PATH}/${encodeURIComponent(implementationCode)}`);
  const lookups = useLookups();
  // Bumped by a reload: a fresh editor, with the server's content and lockVersion.
  const [generation, setGeneration] = useState(0);
  usePageTitle(detail.data ? `${detail.data.content.name} (${detail.data.version})` : t.catalog.admin.menu.items);

  const reload = () => {
    detail.reload();
    item.reload();
    setGeneration((g) => g + 1);
  };

  if ((detail.loading && !detail.data) || (item.loading && !item.data)) return <Skeleton active paragraph={{ rows: 10 }} />;
  const error = detail.error ?? item.error;
  if (error) return <Alert type="error" showIcon title={problemText(error)} action={<Button onClick={reload}>{t.common.retry}</Button>} />;
  const data = detail.data!;
  if (data.status === 'draft') {
    return <ItemEditor key={`${data.version}:${generation}:${data.lockVersion}`} item={item.data!} detail={data} lookups={lookups} onReload={reload} />;
  }
  return <ReviewView item={item.data!} detail={data} lookups={lookups} onChanged={reload} />;
}

type Action = 'publish' | 'return' | 'withdraw';

function ReviewView({ item, detail, lookups, onChanged }: { item: AdminItem; detail: ItemVersionDetail; lookups: Lookups; onChanged(): void }) {
  const { t, lang } = useI18n();
  const r = t.catalog.admin.review;
  const it = t.catalog.admin.item;
  const { me } = useSession();
  const [action, setAction] = useState<Action | null>(null);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const who = (id: string | null | undefined, at: string | null | undefined) => {
    if (!at) return '';
    return `${formatInstant(at)}${id && id === me?.user.id ? it.you : ''}`;
  };

  const facts = [
    { key: 'status', label: it.status, children: <VersionStatusTag status={detail.status} /> },
    { key: 'effective', label: it.effectiveFrom, children: detail.effectiveFrom ?? '' },
    { key: 'updated', label: it.updated, children: who(detail.updatedBy, detail.updatedAt) },
    { key: 'submitted', label: it.submitted, children: who(detail.submittedBy, detail.submittedAt) },
    { key: 'published', label: it.published, children: who(detail.publishedBy, detail.publishedAt) },
    ...(detail.withdrawnAt ? [{ key: 'withdrawn', label: it.withdrawnAt, children: who(detail.withdrawnBy, detail.withdrawnAt) }] : []),
    ...(detail.reviewComment ? [{ key: 'comment', label: it.comment, children: detail.reviewComment, span: 'filled' as const }] : []),
  ];

  return (
    <div className="page">
      <PageHeading
        title={`${detail.content.name}（${t.catalog.admin.list.versionN(detail.version)}）`}
        intro={
          <Space wrap>
            <VersionStatusTag status={detail.status} />
            <span className="code-text">{item.implementationCode}</span>
            <span>{item.departmentName}</span>
          </Space>
        }
        extra={
          <Space wrap>
            <LinkButton to={catalogPaths.item(item.implementationCode)} icon={<LeftOutlined aria-hidden />}>
              {it.versions}
            </LinkButton>
            {/* 秒批: the version's decision rules (features/rules) */}
            <LinkButton to={`${catalogPaths.item(item.implementationCode)}/versions/${detail.version}/rules`}>{rulesLabels(lang).editorTitle}</LinkButton>
            {detail.status === 'in_review' && (
              <>
                <Button icon={<RollbackOutlined aria-hidden />} onClick={() => setAction('return')}>
                  {r.return}
                </Button>
                <Button type="primary" icon={<CheckOutlined aria-hidden />} onClick={() => setAction('publish')}>
                  {r.publish}
                </Button>
              </>
            )}
            {detail.status === 'published' && (
              <Button danger icon={<StopOutlined aria-hidden />} onClick={() => setAction('withdraw')}>
                {r.withdraw}
              </Button>
            )}
          </Space>
        }
      />
      {refusal && (
        <Alert
          className="editor-alert"
          type="error"
          showIcon
          role="alert"
          closable={{ onClose: () => setRefusal(null) }}
          title={refusal.code === 'same_person_cannot_publish' ? r.fourEyes : refusal.title}
          description={
            refusal.code === 'same_person_cannot_publish' ? (
              <>
                <div>{refusal.title}</div>
                <div>{r.fourEyesText}</div>
              </>
            ) : refusal.errors.length > 0 ? (
              <ul className="problem-list">
                {refusal.errors.map((p, i) => (
                  <li key={i}>
                    <code>{p.field}</code> {p.message}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={18}>
          <Card>
            <Tabs
              items={[
                { key: 'diff', label: r.diff, children: <DiffView code={item.implementationCode} versions={item.versions} to={detail.version} /> },
                {
                  key: 'preview',
                  label: r.guidePreview,
                  children: <GuideView embedded guide={previewGuide(item, detail.version, detail.content, lookups, detail.effectiveFrom)} />,
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={6}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title={<h2 className="card-title">{it.meta}</h2>}>
              <Descriptions size="small" column={1} items={facts.filter((f) => f.children !== '' && f.children !== null)} />
            </Card>
            {detail.status === 'in_review' && <ProblemsCard problems={detail.problems} />}
          </Space>
        </Col>
      </Row>
      {action && (
        <ActionDialog
          action={action}
          item={item}
          detail={detail}
          onClose={(done, err) => {
            setAction(null);
            if (err) setRefusal(err);
            if (done) {
              setRefusal(null);
              onChanged();
            }
          }}
        />
      )}
    </div>
  );
}

interface ActionValues {
  effectiveFrom?: Dayjs;
  comment?: string;
  reason?: string;
}

/** Publish (with its effective date), return with a comment, or withdraw with a reason. */
function ActionDialog({ action, item, detail, onClose }: { action: Action; item: AdminItem; detail: ItemVersionDetail; onClose(done: boolean, refusal?: ApiError): void }) {
  const { t } = useI18n();
  const r = t.catalog.admin.review;
  const { message } = App.useApp();
  const [form] = Form.useForm<ActionValues>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const today = todayInShanghai();
  const title = action === 'publish' ? r.publishTitle : action === 'return' ? r.returnTitle : r.withdrawTitle;

  const submit = async (values: ActionValues) => {
    setBusy(true);
    setError(null);
    setUnmatched([]);
    try {
      const code = item.implementationCode;
      if (action === 'publish') {
        await catalogApi.publish(code, detail.version, values.effectiveFrom?.format('YYYY-MM-DD'));
        message.success(r.published);
      } else if (action === 'return') {
        await catalogApi.returnToDraft(code, detail.version, values.comment!.trim());
        message.success(r.returned);
      } else {
        await catalogApi.withdraw(code, detail.version, values.reason!.trim());
        message.success(r.withdrawn);
      }
      onClose(true);
    } catch (err) {
      // Refusals about the version as a whole (four eyes, publish problems) belong on the page, where they stay readable.
      if (err instanceof ApiError && (err.code === 'same_person_cannot_publish' || err.code === 'publish_refused')) {
        onClose(false, err);
        return;
      }
      setUnmatched(applyFieldErrors(form, err, ['effectiveFrom', 'comment', 'reason']));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      okText={action === 'publish' ? r.publish : action === 'return' ? r.return : r.withdraw}
      okButtonProps={{ danger: action === 'withdraw' }}
      cancelText={t.common.cancel}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
    >
      <Form<ActionValues> form={form} name={`version-${action}`} layout="vertical" onFinish={submit} initialValues={{ effectiveFrom: dayjs(today) }}>
        {action === 'publish' && (
          <Form.Item name="effectiveFrom" label={r.effectiveFrom} extra={r.effectiveHelp} rules={[{ required: true, message: t.common.requiredChoice(r.effectiveFrom) }]}>
            <DatePicker allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') < today} />
          </Form.Item>
        )}
        {action === 'return' && (
          <Form.Item name="comment" label={r.comment} extra={r.commentHelp} rules={[{ required: true, whitespace: true, message: t.common.required(r.comment) }]}>
            <Input.TextArea rows={4} maxLength={2000} />
          </Form.Item>
        )}
        {action === 'withdraw' && (
          <Form.Item name="reason" label={r.reason} rules={[{ required: true, whitespace: true, message: t.common.required(r.reason) }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        <ProblemAlert error={error} unmatched={unmatched} />
      </Form>
    </Modal>
  );
}


import { useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Checkbox, DatePicker, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { ProblemAlert } from '../../app/problems';
import type { Guide } from '../catalog/api';
import { todayInShanghai } from '../calendar/api';
import type { ActionInput, CaseDetail, CaseMaterial, CorrectionItem, Verdict } from './api';
import { ActionDialog } from './ActionDialog';
import { CasePanel } from './CaseParts';
import { useCaseLabels } from './codes';
import { FileCard, useFileMeta } from './FileUpload';
import { RequirementTag, type GuideMaterial } from './MaterialsEditor';
import { formFieldsOf } from './SchemaForm';

type Run = (input: Omit<ActionInput, 'version'>) => Promise<'done' | 'conflict'>;
interface VerdictEntry {
  verdict?: Verdict;
  reason?: string;
}
type Verdicts = Record<string, VerdictEntry>;

function initialVerdicts(detail: CaseDetail): Verdicts {
  const out: Verdicts = {};
  for (const m of detail.materials) if (m.verdict !== 'pending') out[m.materialId] = { verdict: m.verdict, reason: m.verdictReason ?? '' };
  return out;
}

function GivenFile({ fileId }: { fileId: string }) {
  const meta = useFileMeta(fileId);
  return meta ? <FileCard file={{ meta }} /> : null;
}

/** What the applicant gave for a material, as the window sees it. */
function Given({ material }: { material: CaseMaterial | undefined }) {
  const { t } = useI18n();
  const c = t.cases.detail;
  if (!material) return <Typography.Text type="danger">{t.cases.frontDesk.notGiven}</Typography.Text>;
  if (material.fileId) return <GivenFile fileId={material.fileId} />;
  if (material.source === 'shared_data') return <span>{c.viaSharing}</span>;
  if (material.source === 'paper') return <span>{c.paper}</span>;
  if (material.source === 'license') return <span>{c.viaLicense}</span>;
  if (material.source === 'commitment') return <span>{c.viaCommitment}</span>;
  return <Typography.Text type="danger">{t.cases.frontDesk.notGiven}</Typography.Text>;
}

/**
 * The comprehensive window's desk for a submitted case (前台综合受理): a verdict per material
 * (accepted, deficient, missing, with the reason), then one of the four outcomes the case allows —
 * accept, not accept, a one-time correction notice pre-filled from the verdicts, or acceptance
 * with deferrable materials owed.
 */
export function FrontDeskPanel({ detail, guide, run, busy }: { detail: CaseDetail; guide: Guide; run: Run; busy: string | null }) {
  const { t } = useI18n();
  const f = t.cases.frontDesk;
  const labels = useCaseLabels();
  const allowed = new Set(detail.allowedActions);
  const [verdicts, setVerdicts] = useState<Verdicts>(() => initialVerdicts(detail));
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<'correction' | 'deficiency' | 'not_accept' | null>(null);
  const given = new Map(detail.materials.map((m) => [m.materialId, m]));
  // The item's materials in its order, plus any the case holds that the version does not list.
  const materials: Array<{ id: string; name: string; requirement: string; guide?: GuideMaterial }> = [
    ...guide.materials.map((m) => ({ id: m.id, name: m.name, requirement: m.requirement, guide: m })),
    ...detail.materials.filter((m) => !guide.materials.some((g) => g.id === m.materialId)).map((m) => ({ id: m.materialId, name: m.name, requirement: 'optional' })),
  ];

  const set = (id: string, entry: VerdictEntry) => setVerdicts((all) => ({ ...all, [id]: { ...all[id], ...entry } }));
  const verdictList = () =>
    Object.entries(verdicts)
      .filter(([, v]) => v.verdict)
      .map(([materialId, v]) => ({ materialId, verdict: v.verdict!, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) }));

  /** Every material given needs a verdict; deficient and missing ones need their reason. */
  const checkVerdicts = (): boolean => {
    const unjudged = materials.filter((m) => given.has(m.id) && !verdicts[m.id]?.verdict);
    if (unjudged.length > 0) {
      setProblem(f.verdictNeeded(unjudged.map((m) => m.name).join('、')));
      return false;
    }
    const unexplained = materials.filter((m) => (verdicts[m.id]?.verdict === 'deficient' || verdicts[m.id]?.verdict === 'missing') && !verdicts[m.id]?.reason?.trim());
    if (unexplained.length > 0) {
      setProblem(f.reasonNeeded(unexplained.map((m) => m.name).join('、')));
      return false;
    }
    setProblem(null);
    return true;
  };

  const send = async (input: Omit<ActionInput, 'version'>) => {
    setError(null);
    try {
      await run(input);
    } catch (err) {
      setError(err);
    }
  };

  const accept = () => {
    if (!checkVerdicts()) return;
    const faulty = materials.filter((m) => verdicts[m.id]?.verdict === 'deficient' || verdicts[m.id]?.verdict === 'missing' || (m.requirement === 'required' && !given.has(m.id)));
    if (faulty.length > 0) {
      setProblem(f.cannotAccept(faulty.map((m) => m.name).join('、')));
      return;
    }
    void send({ action: 'accept', verdicts: verdictList() });
  };

  const save = () => {
    if (!checkVerdicts()) return;
    void send({ action: 'verify_materials', verdicts: verdictList() });
  };

  /** The correction notice's items as the verdicts suggest them: deficient and missing materials, required ones not given. */
  const suggested: CorrectionItem[] = materials.flatMap((m) => {
    const v = verdicts[m.id];
    if (v?.verdict === 'deficient' || v?.verdict === 'missing') return [{ materialId: m.id, reason: v.reason?.trim() || (v.verdict === 'missing' ? f.defaultMissing : f.defaultDeficient) }];
    if (!v?.verdict && m.requirement === 'required' && !given.has(m.id)) return [{ materialId: m.id, reason: f.defaultMissing }];
    return [];
  });
  const deferrable = materials.filter((m) => m.requirement === 'deferrable' && verdicts[m.id]?.verdict !== 'accepted');

  return (
    <CasePanel id="front-desk" title={f.checklist}>
      <Typography.Paragraph type="secondary">{f.checklistIntro}</Typography.Paragraph>
      <ol className="checklist">
        {materials.map((m) => {
          const v = verdicts[m.id] ?? {};
          const needsReason = v.verdict === 'deficient' || v.verdict === 'missing';
          return (
            <li key={m.id} className="checklist-entry">
              <div className="material-entry-head">
                <h3 className="material-entry-name">{m.name}</h3>
                <RequirementTag requirement={m.requirement} />
              </div>
              <Given material={given.get(m.id)} />
              <fieldset className="verdict-fieldset">
                <legend className="visually-hidden">{f.verdictFor(m.name)}</legend>
                <Radio.Group
                  value={v.verdict}
                  onChange={(e) => set(m.id, { verdict: e.target.value as Verdict })}
                  options={(['accepted', 'deficient', 'missing'] as const).map((value) => ({ value, label: t.cases.verdicts[value] }))}
                />
              </fieldset>
              {needsReason && (
                <Input
                  value={v.reason}
                  onChange={(e) => set(m.id, { reason: e.target.value })}
                  placeholder={f.reasonPlaceholder}
                  aria-label={f.reasonFor(m.name)}
                  maxLength={1000}
                  className="verdict-reason-input"
                />
              )}
            </li>
          );
        })}
      </ol>
      {problem && <Alert type="warning" showIcon title={problem} className="panel-alert" role="alert" />}
      <div className="form-alert">
        <ProblemAlert error={error} unmatched={error instanceof ApiError ? error.errors : []} />
      </div>
      <h3 className="panel-subtitle">{f.outcomes}</h3>
      <Space wrap>
        {allowed.has('accept') && (
          <Button type="primary" onClick={accept} loading={busy === 'accept'}>
            {labels.action('accept')}
          </Button>
        )}
        {allowed.has('request_correction') && (
          <Button onClick={() => setDialog('correction')} disabled={busy !== null}>
            {labels.action('request_correction')}
          </Button>
        )}
        {allowed.has('accept_with_deficiency') && (
          <Button onClick={() => setDialog('deficiency')} disabled={busy !== null || deferrable.length === 0} title={deferrable.length === 0 ? f.noDeferrable : undefined}>
            {labels.action('accept_with_deficiency')}
          </Button>
        )}
        {allowed.has('not_accept') && (
          <Button danger onClick={() => setDialog('not_accept')} disabled={busy !== null}>
            {labels.action('not_accept')}
          </Button>
        )}
        {allowed.has('verify_materials') && (
          <Button type="link" onClick={save} loading={busy === 'verify_materials'}>
            {f.saveVerdicts}
          </Button>
        )}
      </Space>
      {dialog === 'not_accept' && <ActionDialog action="not_accept" detail={detail} run={run} onClose={() => setDialog(null)} />}
      {dialog === 'correction' && <CorrectionDialog guide={guide} materials={materials} suggested={suggested} run={run} onClose={() => setDialog(null)} />}
      {dialog === 'deficiency' && <DeficiencyDialog materials={deferrable} run={run} onClose={() => setDialog(null)} />}
    </CasePanel>
  );
}

/**
 * A front-desk dialog sending one action: `prepare` gives the action's input, or what the desk
 * still has to fill in (shown in the dialog, nothing sent); the server's refusals show below.
 */
function SendDialog({
  title,
  okText,
  intro,
  width,
  prepare,
  run,
  onClose,
  children,
}: {
  title: string;
  okText: string;
  intro: string;
  width?: number;
  prepare(): { input: Omit<ActionInput, 'version'> } | { problem: string };
  run: Run;
  onClose(): void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);

  const submit = async () => {
    const next = prepare();
    if ('problem' in next) {
      setProblem(next.problem);
      return;
    }
    setProblem(null);
    setSending(true);
    setError(null);
    try {
      await run(next.input);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal open width={width} title={title} okText={okText} cancelText={t.common.cancel} onOk={submit} onCancel={onClose} confirmLoading={sending} destroyOnHidden mask={{ closable: false }}>
      <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>
      {children}
      {problem && <Alert type="warning" showIcon title={problem} className="panel-alert" role="alert" />}
      <div className="form-alert">
        <ProblemAlert error={error} unmatched={error instanceof ApiError ? error.errors : []} />
      </div>
    </Modal>
  );
}

/** The one-time complete notice (一次性告知): every material or field to fix, each with its reason. */
function CorrectionDialog({
  guide,
  materials,
  suggested,
  run,
  onClose,
}: {
  guide: Guide;
  materials: Array<{ id: string; name: string }>;
  suggested: CorrectionItem[];
  run: Run;
  onClose(): void;
}) {
  const { t } = useI18n();
  const f = t.cases.frontDesk;
  const labels = useCaseLabels();
  const fields = useMemo(() => formFieldsOf(guide.form), [guide.form]);
  const [items, setItems] = useState<CorrectionItem[]>(suggested);
  const [adding, setAdding] = useState<string>();
  const nameOf = (item: CorrectionItem) =>
    item.materialId ? (materials.find((m) => m.id === item.materialId)?.name ?? item.materialId) : (fields.find((x) => x.key === item.field)?.label ?? item.field ?? '');
  const named = new Set(items.map((i) => (i.materialId ? `m:${i.materialId}` : `f:${i.field}`)));
  const choices = [
    { label: f.materialsGroup, options: materials.filter((m) => !named.has(`m:${m.id}`)).map((m) => ({ value: `m:${m.id}`, label: m.name })) },
    { label: f.fieldsGroup, options: fields.filter((x) => !named.has(`f:${x.key}`)).map((x) => ({ value: `f:${x.key}`, label: x.label })) },
  ];

  const add = () => {
    if (!adding) return;
    const [kind, id] = [adding.slice(0, 1), adding.slice(2)];
    setItems((all) => [...all, kind === 'm' ? { materialId: id, reason: '' } : { field: id, reason: '' }]);
    setAdding(undefined);
  };

  const prepare = () => {
    if (items.length === 0) return { problem: f.noItems };
    if (items.some((i) => !i.reason.trim())) return { problem: f.itemReasonNeeded };
    return { input: { action: 'request_correction' as const, items: items.map((i) => ({ ...i, reason: i.reason.trim() })) } };
  };

  return (
    <SendDialog width={640} title={labels.action('request_correction')} okText={f.sendNotice} intro={f.correctionIntro} prepare={prepare} run={run} onClose={onClose}>
      <ol className="correction-edit">
        {items.map((item, i) => (
          <li key={item.materialId ? `m:${item.materialId}` : `f:${item.field}`}>
            <div className="correction-edit-head">
              <strong>{nameOf(item)}</strong>
              <Button
                type="text"
                size="small"
                danger
                icon={<DeleteOutlined aria-hidden />}
                aria-label={f.removeItem(nameOf(item))}
                onClick={() => setItems((all) => all.filter((_, n) => n !== i))}
              />
            </div>
            <Input.TextArea
              rows={2}
              maxLength={1000}
              value={item.reason}
              aria-label={f.reasonFor(nameOf(item))}
              onChange={(e) => setItems((all) => all.map((x, n) => (n === i ? { ...x, reason: e.target.value } : x)))}
            />
          </li>
        ))}
      </ol>
      <Space.Compact className="correction-add">
        <Select value={adding} onChange={setAdding} options={choices} placeholder={f.addItem} aria-label={f.addItem} className="correction-add-select" />
        <Button icon={<PlusOutlined aria-hidden />} onClick={add} disabled={!adding}>
          {f.add}
        </Button>
      </Space.Compact>
    </SendDialog>
  );
}

/** 容缺受理: the deferrable materials owed, each with its due date. */
function DeficiencyDialog({ materials, run, onClose }: { materials: Array<{ id: string; name: string }>; run: Run; onClose(): void }) {
  const { t } = useI18n();
  const f = t.cases.frontDesk;
  const labels = useCaseLabels();
  const today = todayInShanghai();
  const [owed, setOwed] = useState<Record<string, Dayjs | null>>(() => Object.fromEntries(materials.map((m) => [m.id, dayjs(today).add(10, 'day')])));

  const prepare = () => {
    const chosen = Object.entries(owed).filter(([, date]) => date);
    if (chosen.length === 0) return { problem: f.noOwed };
    return { input: { action: 'accept_with_deficiency' as const, owed: chosen.map(([materialId, date]) => ({ materialId, dueDate: date!.format('YYYY-MM-DD') })) } };
  };

  return (
    <SendDialog title={labels.action('accept_with_deficiency')} okText={labels.action('accept_with_deficiency')} intro={f.deficiencyIntro} prepare={prepare} run={run} onClose={onClose}>
      <Form layout="vertical" component="div">
        {materials.map((m) => (
          <div key={m.id} className="owed-entry">
            <Checkbox checked={owed[m.id] !== null && owed[m.id] !== undefined} onChange={(e) => setOwed((all) => ({ ...all, [m.id]: e.target.checked ? dayjs(today).add(10, 'day') : null }))}>
              {m.name}
            </Checkbox>
            {owed[m.id] && (
              <DatePicker
                value={owed[m.id]}
                onChange={(date) => setOwed((all) => ({ ...all, [m.id]: date }))}
                disabledDate={(d) => d.format('YYYY-MM-DD') <= today}
                aria-label={f.dueFor(m.name)}
                allowClear={false}
              />
            )}
          </div>
        ))}
      </Form>
    </SendDialog>
  );
}

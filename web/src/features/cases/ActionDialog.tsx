import { useState } from 'react';
import { Form, Input, InputNumber, Modal, Select } from 'antd';
import { SPECIAL_PROCEDURE_TYPES, type CaseAction } from '@server/shared/case-codes';
import type { FieldProblem } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import { useSession } from '../../app/session';
import { useApi } from '../../app/useApi';
import type { Staff } from '../identity/api';
import type { ActionInput, CaseDetail } from './api';
import { useCaseLabels } from './codes';
import { FileCard, UploadButton, useRevokeOnUnmount, type UploadedFile } from './FileUpload';

type Run = (input: Omit<ActionInput, 'version'>) => Promise<'done' | 'conflict'>;

/** The back-office actions that need words (or a choice) before they are sent. */
export type DialogAction = Extract<CaseAction, 'assign' | 'comment' | 'complete_step' | 'return' | 'suspend' | 'resume' | 'approve' | 'deny' | 'not_accept'>;

interface Values {
  comment?: string;
  reason?: string;
  legalBasis?: string;
  toStep?: number;
  procedure?: ActionInput['procedure'];
  expectedDays?: number;
  assigneeId?: string;
}

const FIELDS = ['comment', 'reason', 'legalBasis', 'toStep', 'procedure', 'expectedDays', 'assigneeId', 'attachments'] as const;

/** The staff of the case's department who hold a role, for assignment (department admins may list them). */
function useAssignees(departmentId: string, role: string | undefined, enabled: boolean): Staff[] {
  const staff = useApi<{ items: Staff[] }>(enabled ? '/api/v1/admin/staff' : null, { departmentId, limit: 100 });
  return (staff.data?.items ?? []).filter((s) => s.active && (!role || s.roles.includes(role as Staff['roles'][number])));
}

/**
 * One dialog for the actions that carry a comment, a reason or a choice: its fields by action,
 * the server's refusals next to them, a 409 handled by the caller (the case reloads).
 */
export function ActionDialog({ action, detail, run, onClose }: { action: DialogAction; detail: CaseDetail; run: Run; onClose(): void }) {
  const { t } = useI18n();
  const d = t.cases.dialog;
  const labels = useCaseLabels();
  const { me } = useSession();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [sending, setSending] = useState(false);
  const [files, setFiles] = useState<UploadedFile[]>([]);
  useRevokeOnUnmount(files);
  const task = detail.tasks.find((k) => k.closedAt === null);
  const isDeptAdmin = me?.user.roles.includes('department_admin') ?? false;
  const assignees = useAssignees(detail.department.id, task?.role, action === 'assign' && isDeptAdmin);
  const earlier = detail.steps.filter((s) => detail.currentStep !== null && s.index < detail.currentStep);
  const withFiles = action === 'comment' || action === 'complete_step';
  const title = labels.action(action);

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSending(true);
    setError(null);
    setUnmatched([]);
    const trimmed = (v?: string) => (v?.trim() ? v.trim() : undefined);
    const input: Omit<ActionInput, 'version'> = { action };
    const comment = trimmed(values.comment);
    const reason = trimmed(values.reason);
    const legalBasis = trimmed(values.legalBasis);
    if (comment) input.comment = comment;
    if (reason) input.reason = reason;
    if (legalBasis) input.legalBasis = legalBasis;
    if (values.toStep !== undefined) input.toStep = values.toStep;
    if (values.procedure) input.procedure = values.procedure;
    if (values.expectedDays) input.expectedDays = values.expectedDays;
    if (action === 'assign') input.assigneeId = values.assigneeId ?? me?.user.id;
    if (withFiles && files.length > 0) input.attachments = files.map((f) => f.meta.fileId);
    try {
      await run(input);
      onClose();
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, FIELDS));
      setError(err);
    } finally {
      setSending(false);
    }
  };

  const required = (label: string) => ({ required: true, whitespace: true, message: t.common.required(label) });

  return (
    <Modal
      open
      title={title}
      okText={d.confirm(title)}
      cancelText={t.common.cancel}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={sending}
      okButtonProps={{ danger: action === 'deny' || action === 'not_accept' }}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form<Values> form={form} name={`action-${action}`} layout="vertical" className="action-form">
        {action === 'assign' &&
          (isDeptAdmin ? (
            <Form.Item name="assigneeId" label={d.assignee} rules={[{ required: true, message: t.common.requiredChoice(d.assignee) }]}>
              <Select options={assignees.map((s) => ({ value: s.id, label: s.name }))} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          ) : (
            <p>{d.assignSelf}</p>
          ))}
        {action === 'return' && (
          <Form.Item name="toStep" label={d.toStep} rules={[{ required: true, message: t.common.requiredChoice(d.toStep) }]}>
            <Select options={earlier.map((s) => ({ value: s.index, label: s.name }))} />
          </Form.Item>
        )}
        {action === 'suspend' && (
          <>
            <Form.Item name="procedure" label={d.procedure} rules={[{ required: true, message: t.common.requiredChoice(d.procedure) }]}>
              <Select options={SPECIAL_PROCEDURE_TYPES.map((p) => ({ value: p, label: labels.specialProcedure(p) }))} />
            </Form.Item>
            <Form.Item name="reason" label={d.reason} rules={[required(d.reason)]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Form.Item name="expectedDays" label={d.expectedDays} extra={d.expectedDaysHelp}>
              <InputNumber min={1} max={3650} precision={0} />
            </Form.Item>
          </>
        )}
        {(action === 'deny' || action === 'not_accept') && (
          <>
            <Form.Item name="reason" label={d.reason} rules={[required(d.reason)]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Form.Item name="legalBasis" label={d.legalBasis} rules={action === 'not_accept' ? [required(d.legalBasis)] : []} extra={action === 'deny' ? d.legalBasisHelp : undefined}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </>
        )}
        {(action === 'comment' || action === 'complete_step' || action === 'return' || action === 'resume' || action === 'approve') && (
          <Form.Item
            name="comment"
            label={action === 'approve' || action === 'complete_step' ? d.opinion : d.comment}
            rules={action === 'comment' || action === 'return' ? [required(d.comment)] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        {withFiles && (
          <div className="dialog-files">
            <div className="dialog-files-label">{d.attachments}</div>
            {files.map((f) => (
              <FileCard key={f.meta.fileId} file={f} onRemove={() => setFiles((all) => all.filter((x) => x !== f))} />
            ))}
            {files.length < 20 && <UploadButton text={d.addAttachment} onUploaded={(f) => setFiles((all) => [...all, f])} />}
          </div>
        )}
        <div className="form-alert">
          <ProblemAlert error={error} unmatched={unmatched} />
        </div>
      </Form>
    </Modal>
  );
}

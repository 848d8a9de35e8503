import { useState } from 'react';
import { Button, Form, Input, Radio, Space, Typography } from 'antd';
import type { CaseAction, DeliveryMethod } from '@server/shared/case-codes';
import { DELIVERY_METHODS } from '@server/shared/case-codes';
import { ApiError, type FieldProblem } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import type { ActionInput, CaseDetail } from './api';
import { ActionDialog, type DialogAction } from './ActionDialog';
import { CasePanel } from './CaseParts';
import { useCaseLabels } from './codes';

type Run = (input: Omit<ActionInput, 'version'>) => Promise<'done' | 'conflict'>;

/** The back office's actions, in the order an approver meets them (a comment, open to the window too, is in the page's header). */
const BACK_OFFICE: readonly CaseAction[] = ['claim', 'complete_step', 'approve', 'deny', 'return', 'suspend', 'resume', 'assign', 'release'];
const DIRECT: ReadonlySet<CaseAction> = new Set(['claim', 'release']);

export function hasBackOfficeActions(detail: CaseDetail): boolean {
  return detail.allowedActions.some((a) => BACK_OFFICE.includes(a));
}

/**
 * The approver's actions on the case (后台分类审批): exactly those the server says this person
 * may take now (`allowedActions`). Claim and release go at once; the others ask for a comment,
 * a reason or a choice first.
 */
export function BackOfficePanel({ detail, run, busy }: { detail: CaseDetail; run: Run; busy: string | null }) {
  const { t } = useI18n();
  const b = t.cases.backOffice;
  const labels = useCaseLabels();
  const [dialog, setDialog] = useState<DialogAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const actions = BACK_OFFICE.filter((a) => detail.allowedActions.includes(a));
  const task = detail.tasks.find((k) => k.closedAt === null);
  const deciding = detail.currentStep !== null && detail.currentStep === detail.steps.length - 1;

  const direct = async (action: CaseAction) => {
    setError(null);
    try {
      await run({ action });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <CasePanel id="back-office" title={b.title}>
      {task && (
        <Typography.Paragraph>
          {b.stepLine(task.stepName, task.dueDate)}
          {task.assignee ? ` · ${b.assignedTo(task.assignee.name)}` : ` · ${b.teamQueue}`}
          {deciding && ` · ${b.decidingStep}`}
        </Typography.Paragraph>
      )}
      <Space wrap>
        {actions.map((action) =>
          DIRECT.has(action) ? (
            <Button key={action} type={action === 'claim' ? 'primary' : 'default'} onClick={() => void direct(action)} loading={busy === action}>
              {labels.action(action)}
            </Button>
          ) : (
            <Button
              key={action}
              type={action === 'approve' || action === 'complete_step' ? 'primary' : 'default'}
              danger={action === 'deny'}
              onClick={() => setDialog(action as DialogAction)}
              disabled={busy !== null}
            >
              {labels.action(action)}
            </Button>
          ),
        )}
      </Space>
      <div className="form-alert panel-alert">
        <ProblemAlert error={error} />
      </div>
      {dialog && <ActionDialog action={dialog} detail={detail} run={run} onClose={() => setDialog(null)} />}
    </CasePanel>
  );
}

interface DeliveryValues {
  method: DeliveryMethod;
  pickupCode?: string;
  carrier?: string;
  trackingNumber?: string;
  address?: string;
}

const DELIVERY_FIELDS = ['delivery.pickupCode', 'delivery.carrier', 'delivery.trackingNumber', 'delivery.address'];

/** Handing out the result at the window (综合窗口出件): the pickup code, an express waybill, or electronic delivery. */
export function DeliveryPanel({ detail, run, busy }: { detail: CaseDetail; run: Run; busy: boolean }) {
  const { t } = useI18n();
  const d = t.cases.delivery;
  const labels = useCaseLabels();
  const [form] = Form.useForm<DeliveryValues>();
  const method = Form.useWatch('method', form);
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const preferred = typeof detail.delivery?.method === 'string' && (DELIVERY_METHODS as readonly string[]).includes(detail.delivery.method) ? (detail.delivery.method as DeliveryMethod) : 'pickup';
  const address = typeof detail.delivery?.address === 'string' ? detail.delivery.address : undefined;

  const submit = async (values: DeliveryValues) => {
    setError(null);
    const delivery: ActionInput['delivery'] =
      values.method === 'pickup'
        ? { method: 'pickup', pickupCode: values.pickupCode!.trim() }
        : values.method === 'express'
          ? { method: 'express', carrier: values.carrier!.trim(), trackingNumber: values.trackingNumber!.trim(), ...(values.address?.trim() ? { address: values.address.trim() } : {}) }
          : { method: 'electronic' };
    try {
      await run({ action: 'deliver', delivery });
    } catch (err) {
      // The server names delivery fields `delivery.pickupCode` …; the form's items are named without the prefix.
      if (err instanceof ApiError) {
        const renamed = new ApiError(err.status, err.code, err.title, err.errors.map((p) => (DELIVERY_FIELDS.includes(p.field) ? { ...p, field: p.field.slice('delivery.'.length) } : p)));
        setUnmatched(applyFieldErrors(form, renamed, ['pickupCode', 'carrier', 'trackingNumber', 'address']));
      }
      setError(err);
    }
  };

  return (
    <CasePanel id="delivery" title={d.title}>
      <Typography.Paragraph type="secondary">{d.preferred(labels.deliveryMethod(preferred))}</Typography.Paragraph>
      <Form<DeliveryValues> form={form} name="deliver" layout="vertical" initialValues={{ method: preferred, address }} onFinish={submit}>
        <Form.Item name="method" label={d.method}>
          <Radio.Group optionType="button" aria-label={d.method} options={DELIVERY_METHODS.map((m) => ({ value: m, label: labels.deliveryMethod(m) }))} />
        </Form.Item>
        {(method ?? preferred) === 'pickup' && (
          <Form.Item
            name="pickupCode"
            label={d.pickupCode}
            extra={d.pickupCodeHelp}
            rules={[
              { required: true, message: t.common.required(d.pickupCode) },
              { pattern: /^[0-9]{6}$/, message: d.pickupCodeFormat },
            ]}
          >
            <Input inputMode="numeric" maxLength={6} autoComplete="off" className="code-input id-input" />
          </Form.Item>
        )}
        {(method ?? preferred) === 'express' && (
          <>
            <Form.Item name="carrier" label={d.carrier} rules={[{ required: true, whitespace: true, message: t.common.required(d.carrier) }]}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item
              name="trackingNumber"
              label={d.trackingNumber}
              rules={[
                { required: true, message: t.common.required(d.trackingNumber) },
                { pattern: /^[A-Za-z0-9-]{4,40}$/, message: d.trackingFormat },
              ]}
            >
              <Input maxLength={40} className="code-input" />
            </Form.Item>
            {/* Express needs somewhere to send to: the applicant's address when they gave one, else the clerk's entry. */}
            <Form.Item name="address" label={d.address} rules={address ? [] : [{ required: true, whitespace: true, message: t.common.required(d.address) }]}>
              <Input.TextArea rows={2} maxLength={300} />
            </Form.Item>
          </>
        )}
        <div className="form-alert">
          <ProblemAlert error={error} unmatched={unmatched} />
        </div>
        <Button type="primary" htmlType="submit" loading={busy}>
          {labels.action('deliver')}
        </Button>
      </Form>
    </CasePanel>
  );
}

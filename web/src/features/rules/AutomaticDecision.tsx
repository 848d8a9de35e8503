import { Alert, Card, Descriptions, Tag } from 'antd';
import { useI18n } from '../../app/i18n';
import { rulesLabels } from './labels';

/*
 * The automatic decision's record on a case (秒批): outcome, reasons, the rule version and the data
 * it used, as the applicant and auditors see it; and, after an approval by commitment, its
 * verification. Renders nothing for a case without either.
 */

interface Record_ {
  ruleVersion: string | null;
  outcome: 'approve' | 'deny' | 'route';
  reasons: string[];
  inputs: Record<string, unknown>;
  fallback: { code: string; message: string } | null;
  decidedAt: string;
}

interface Props {
  automaticDecision?: unknown;
  verification?: { status: 'open' | 'confirmed' | 'false'; dueDate: string; finding: string | null } | null | undefined;
}

const COLORS = { approve: 'green', deny: 'red', route: 'gold' } as const;

export function AutomaticDecisionCard({ automaticDecision, verification }: Props) {
  const { lang } = useI18n();
  const l = rulesLabels(lang);
  const record = (automaticDecision ?? null) as Record_ | null;
  if (!record && !verification) return null;
  return (
    <Card title={<h2 className="card-title">{record ? l.automatic : l.verification}</h2>}>
      {record && (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={l.outcome}>
            <Tag color={COLORS[record.outcome]}>{l.decisions[record.outcome]}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={record.fallback ? l.fallback : l.reasons}>
            <ul className="plain-list">{record.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
          </Descriptions.Item>
          {record.ruleVersion && <Descriptions.Item label={l.ruleVersion}>{record.ruleVersion}</Descriptions.Item>}
          {Object.keys(record.inputs).length > 0 && (
            <Descriptions.Item label={l.inputsUsed}>
              <code className="code-text">{Object.entries(record.inputs).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('；')}</code>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {verification && (
        <Alert
          className="verification-alert"
          type={verification.status === 'false' ? 'error' : verification.status === 'confirmed' ? 'success' : 'info'}
          showIcon
          title={`${l.verification}：${l.verificationStatus[verification.status]}`}
          description={verification.status === 'open' ? `${l.dueDate} ${verification.dueDate}` : verification.finding}
        />
      )}
    </Card>
  );
}

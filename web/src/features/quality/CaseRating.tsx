import { useState } from 'react';
import { Button, Card, Descriptions, Input, List, Space, Tag, Typography } from 'antd';
import { useApi } from '../../app/useApi';
import { useI18n } from '../../app/i18n';
import { ProblemAlert } from '../../app/problems';
import { CHANNEL_LABELS, LEVEL_LABELS, RECTIFICATION_STATUS_LABELS, type EvaluationChannel } from '@server/shared/quality-codes';
import { browserChannel, qualityApi, type Evaluation, type EvaluationState, type Page, type Rectification } from './api';
import { RatingForm } from './RatingForm';

function LevelTag({ e }: { e: Evaluation }) {
  const { lang } = useI18n();
  return <Tag color={e.level >= 4 ? 'green' : e.level === 3 ? 'blue' : 'red'}>{LEVEL_LABELS[e.level as 1 | 2 | 3 | 4 | 5][lang]}</Tag>;
}

/** The 好差评 card on the applicant's case page: the ratings given, the rating form while the period runs, and the rectification to confirm. */
export function CaseRating({ caseNumber }: { caseNumber: string }) {
  const { t, lang } = useI18n();
  const q = t.quality.rating;
  const state = useApi<EvaluationState>(`/api/v1/cases/${caseNumber}/evaluations`);
  const rects = useApi<Page<Rectification>>('/api/v1/rectifications');
  if (state.error) return null; // a case still running answers nothing to rate: no card
  if (!state.data) return null;
  const { ratings, canRate, nextRound, periodEndsAt } = state.data;
  const mine = (rects.data?.items ?? []).filter((r) => ratings.some((e) => e.id === r.evaluation.id));
  if (ratings.length === 0 && !canRate) return null;
  return (
    <Card title={<h2 className="card-title">{q.cardTitle}</h2>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {ratings.length > 0 && (
          <List
            aria-label={q.mine}
            dataSource={ratings}
            renderItem={(e) => (
              <List.Item>
                <Space wrap>
                  <span>{e.round === 1 ? q.first : q.followUpShort}</span>
                  <LevelTag e={e} />
                  {e.isDefault && <Tag>{q.isDefault}</Tag>}
                  <Typography.Text type="secondary">{CHANNEL_LABELS[e.channel as EvaluationChannel]?.[lang] ?? q.systemChannel}</Typography.Text>
                  {e.text && <span>{e.text}</span>}
                </Space>
              </List.Item>
            )}
          />
        )}
        {mine.map((r) => <RectificationCard key={r.id} rect={r} reload={rects.reload} />)}
        {canRate && nextRound && (
          <>
            {periodEndsAt && <Typography.Text type="secondary">{q.periodUntil(new Date(periodEndsAt).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' }))}</Typography.Text>}
            <RatingForm round={nextRound} channel={browserChannel()} submit={(body) => qualityApi.rateCase(caseNumber, body)} onDone={() => { state.reload(); rects.reload(); }} />
          </>
        )}
      </Space>
    </Card>
  );
}

/** The applicant's side of a rectification: what the department reported, and confirming it (or not) by its confirmation deadline. */
function RectificationCard({ rect, reload }: { rect: Rectification; reload(): void }) {
  const { t, lang } = useI18n();
  const r = t.quality.rect;
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const confirm = async (satisfied: boolean) => {
    setError(null);
    try {
      await qualityApi.step(rect.id, { step: 'confirm', version: rect.version, satisfied, ...(comment ? { comment } : {}) });
      reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card size="small" type="inner" title={r.cardTitle(RECTIFICATION_STATUS_LABELS[rect.status][lang])}>
      <Descriptions size="small" column={1} items={[
        { key: 'dept', label: r.department, children: rect.departmentName },
        { key: 'due', label: r.due, children: rect.dueOn },
        ...(rect.callbackNote ? [{ key: 'cb', label: r.callbackNote, children: rect.callbackNote }] : []),
        ...(rect.report ? [{ key: 'rp', label: r.report, children: rect.report }] : []),
        ...(rect.confirmDueOn && rect.status === 'reported' ? [{ key: 'cd', label: r.confirmDue, children: rect.confirmDueOn }] : []),
        ...(rect.outcome ? [{ key: 'oc', label: r.outcomeLabel, children: r.outcome[rect.outcome] ?? rect.outcome }] : []),
      ]} />
      {rect.steps.includes('confirm') && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea aria-label={r.confirmComment} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={r.confirmPlaceholder} />
          <Space>
            <Button type="primary" onClick={() => void confirm(true)}>{r.accept}</Button>
            <Button danger onClick={() => void confirm(false)}>{r.refuse}</Button>
          </Space>
        </Space>
      )}
      <ProblemAlert error={error} />
    </Card>
  );
}

import { useState } from 'react';
import { Button, Card, Descriptions, Input, List, Space, Tag, Typography } from 'antd';
import { useApi } from '../../app/useApi';
import { ProblemAlert } from '../../app/problems';
import { CHANNEL_LABELS, LEVEL_LABELS, RECTIFICATION_STATUS_LABELS, type EvaluationChannel } from '@server/shared/quality-codes';
import { browserChannel, qualityApi, type Evaluation, type EvaluationState, type Page, type Rectification } from './api';
import { RatingForm } from './RatingForm';

const levelTag = (e: Evaluation) => (
  <Tag color={e.level >= 4 ? 'green' : e.level === 3 ? 'blue' : 'red'}>{LEVEL_LABELS[e.level as 1 | 2 | 3 | 4 | 5].zh}</Tag>
);

/** The 好差评 card on the applicant's case page: the ratings given, the rating form while the period runs, and the rectification to confirm. */
export function CaseRating({ caseNumber }: { caseNumber: string }) {
  const state = useApi<EvaluationState>(`/api/v1/cases/${caseNumber}/evaluations`);
  const rects = useApi<Page<Rectification>>('/api/v1/rectifications');
  if (state.error) return null; // a case still running answers nothing to rate: no card
  if (!state.data) return null;
  const { ratings, canRate, nextRound, periodEndsAt } = state.data;
  const mine = (rects.data?.items ?? []).filter((r) => ratings.some((e) => e.id === r.evaluation.id));
  if (ratings.length === 0 && !canRate) return null;
  return (
    <Card title={<h2 className="card-title">服务评价（好差评）</h2>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {ratings.length > 0 && (
          <List
            aria-label="我的评价"
            dataSource={ratings}
            renderItem={(e) => (
              <List.Item>
                <Space wrap>
                  <span>{e.round === 1 ? '首次评价' : '追加评价'}</span>
                  {levelTag(e)}
                  {e.isDefault && <Tag>默认评价</Tag>}
                  <Typography.Text type="secondary">{CHANNEL_LABELS[e.channel as EvaluationChannel]?.zh ?? '系统'}</Typography.Text>
                  {e.text && <span>{e.text}</span>}
                </Space>
              </List.Item>
            )}
          />
        )}
        {mine.map((r) => <RectificationCard key={r.id} rect={r} reload={rects.reload} />)}
        {canRate && nextRound && (
          <>
            {periodEndsAt && <Typography.Text type="secondary">评价期至 {new Date(periodEndsAt).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })}</Typography.Text>}
            <RatingForm round={nextRound} channel={browserChannel()} submit={(body) => qualityApi.rateCase(caseNumber, body)} onDone={() => { state.reload(); rects.reload(); }} />
          </>
        )}
      </Space>
    </Card>
  );
}

/** The applicant's side of a rectification: what the department reported, and confirming it (or not). */
function RectificationCard({ rect, reload }: { rect: Rectification; reload(): void }) {
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
    <Card size="small" type="inner" title={`整改工单 · ${RECTIFICATION_STATUS_LABELS[rect.status].zh}`}>
      <Descriptions size="small" column={1} items={[
        { key: 'dept', label: '责任部门', children: rect.departmentName },
        { key: 'due', label: '整改期限', children: rect.dueOn },
        ...(rect.callbackNote ? [{ key: 'cb', label: '回访记录', children: rect.callbackNote }] : []),
        ...(rect.report ? [{ key: 'rp', label: '整改结果', children: rect.report }] : []),
      ]} />
      {rect.steps.includes('confirm') && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea aria-label="确认意见" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="意见（选填）" />
          <Space>
            <Button type="primary" onClick={() => void confirm(true)}>认可整改结果</Button>
            <Button danger onClick={() => void confirm(false)}>不认可，继续整改</Button>
          </Space>
        </Space>
      )}
      <ProblemAlert error={error} />
    </Card>
  );
}

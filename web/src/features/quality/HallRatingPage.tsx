import { useState } from 'react';
import { Alert, Card, Result } from 'antd';
import { useParams, useSearchParams } from 'react-router';
import { PageHeading } from '../../app/layout/chrome';
import { useI18n } from '../../app/i18n';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { qualityApi, type Evaluation, type EvaluationState } from './api';
import { RatingForm } from './RatingForm';

/** The page a hall window's QR code opens on the applicant's phone: rate today's service at that window. */
export function HallRatingPage() {
  const { t } = useI18n();
  const q = t.quality.rating;
  const { hallId = '', window = '' } = useParams();
  const [search] = useSearchParams();
  const departmentId = search.get('dept') ?? '';
  const halls = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/halls');
  const hall = halls.data?.items.find((h) => h.id === hallId);
  return (
    <div className="page">
      <PageHeading title={q.hallTitle} intro={hall ? q.hallIntro(hall.name, window) : q.windowOnly(window)} />
      <Card>
        <TwoRounds submit={(body) => qualityApi.rateHall({ ...body, hallId, window, departmentId })} />
      </Card>
    </div>
  );
}

/** The page a recorded visit's QR code opens: rate that visit (the code in the address admits the visitor). */
export function VisitRatingPage() {
  const { t } = useI18n();
  const q = t.quality.rating;
  const { visitId = '' } = useParams();
  const [search] = useSearchParams();
  const code = search.get('code') ?? '';
  const state = useApi<EvaluationState>(`/api/v1/hall-visits/${visitId}/evaluations`, { code });
  return (
    <div className="page">
      <PageHeading title={q.visitTitle} />
      <Card>
        {state.error ? (
          <>
            <Alert type="error" showIcon title={q.visitMissing} />
            <ProblemAlert error={state.error} />
          </>
        ) : state.data ? (
          <TwoRounds already={state.data.ratings.length} canRate={state.data.canRate} periodOver={!state.data.canRate && state.data.ratings.every((e) => e.isDefault)} submit={(body) => qualityApi.rateVisit(visitId, { ...body, code })} />
        ) : null}
      </Card>
    </div>
  );
}

/** The first rating, then the one follow-up, then thanks. */
function TwoRounds({ submit, already = 0, canRate = true, periodOver = false }: { submit: Parameters<typeof RatingForm>[0]['submit']; already?: number; canRate?: boolean; periodOver?: boolean }) {
  const { t } = useI18n();
  const q = t.quality.rating;
  const [done, setDone] = useState<Evaluation[]>([]);
  const count = already + done.length;
  if (periodOver) return <Alert type="info" showIcon title={q.periodOver} />;
  if (count >= 2 || !canRate) return <Result status="success" title={q.thanks} />;
  return (
    <>
      {count === 1 && <Alert type="success" showIcon title={q.submittedOnce} style={{ marginBottom: 12 }} />}
      <RatingForm round={(count === 0 ? 1 : 2) as 1 | 2} channel="qr_code" submit={submit} onDone={(e) => setDone((d) => [...d, e])} />
    </>
  );
}

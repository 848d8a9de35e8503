import { useState } from 'react';
import { Alert, Card, Result } from 'antd';
import { useParams, useSearchParams } from 'react-router';
import { PageHeading } from '../../app/layout/chrome';
import { useApi } from '../../app/useApi';
import { qualityApi, type Evaluation } from './api';
import { RatingForm } from './RatingForm';

/** The page a hall window's QR code opens on the applicant's phone: rate today's service at that window. */
export function HallRatingPage() {
  const { hallId = '', window = '' } = useParams();
  const [search] = useSearchParams();
  const departmentId = search.get('dept') ?? '';
  const halls = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/halls');
  const hall = halls.data?.items.find((h) => h.id === hallId);
  const [done, setDone] = useState<Evaluation[]>([]);
  const round = (done.length === 0 ? 1 : 2) as 1 | 2;
  return (
    <div className="page">
      <PageHeading title="窗口服务评价" intro={hall ? `${hall.name} · ${window} 号窗口` : `${window} 号窗口`} />
      <Card>
        {done.length >= 2 ? (
          <Result status="success" title="感谢您的评价" />
        ) : (
          <>
            {done.length === 1 && <Alert type="success" showIcon title="评价已提交，感谢！如有补充，可追加评价一次。" style={{ marginBottom: 12 }} />}
            <RatingForm round={round} channel="qr_code" submit={(body) => qualityApi.rateHall({ ...body, hallId, window, departmentId })} onDone={(e) => setDone((d) => [...d, e])} />
          </>
        )}
      </Card>
    </div>
  );
}

import { Alert, Card, Col, Empty, Row, Skeleton, Space, Typography } from 'antd';
import { ClockCircleOutlined, EnvironmentOutlined, GlobalOutlined, PhoneOutlined, ThunderboltOutlined, AimOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useI18n, usePageTitle } from '../../app/i18n';
import { LinkButton } from '../../app/layout/chrome';
import { useProblemText } from '../../app/problems';
import { useSession } from '../../app/session';
import { useApi } from '../../app/useApi';
import { homeOf } from '../../app/guards';
import { HALLS_PATH, REGIONS_PATH, type Hall, type List, type Region } from '../org/api';
import { HomeCatalogSection } from '../catalog/HomeCatalogSection';

const WAYS = [
  { key: 'immediate', icon: <ThunderboltOutlined aria-hidden /> },
  { key: 'online', icon: <GlobalOutlined aria-hidden /> },
  { key: 'nearby', icon: <AimOutlined aria-hidden /> },
  { key: 'oneVisit', icon: <CheckCircleOutlined aria-hidden /> },
] as const;

export function HomePage() {
  const { t } = useI18n();
  const { me } = useSession();
  usePageTitle(t.home.title);

  return (
    <div className="page page-wide">
      <section className="hero" aria-labelledby="hero-title">
        <Typography.Title level={1} id="hero-title" className="hero-title">
          {t.home.heroTitle}
        </Typography.Title>
        <Typography.Paragraph className="hero-text">{t.home.heroText}</Typography.Paragraph>
        <Space wrap>
          {me ? (
            <LinkButton to={homeOf(me.user.kind)} type="primary" size="large">
              {me.user.kind === 'staff' ? t.common.workbench : t.common.myPage}
            </LinkButton>
          ) : (
            <>
              <LinkButton to="/register" type="primary" size="large">
                {t.common.signUp}
              </LinkButton>
              <LinkButton to="/login" size="large">
                {t.common.signIn}
              </LinkButton>
            </>
          )}
        </Space>
      </section>

      <HomeCatalogSection />

      <section aria-labelledby="ways-title" className="section">
        <Typography.Title level={2} id="ways-title">
          {t.home.waysTitle}
        </Typography.Title>
        <Row gutter={[16, 16]}>
          {WAYS.map(({ key, icon }) => (
            <Col key={key} xs={24} sm={12} lg={6}>
              <Card className="way-card">
                <div className="way-icon">{icon}</div>
                <Typography.Title level={3} className="way-title">
                  {t.home.ways[key].title}
                </Typography.Title>
                <Typography.Paragraph className="way-text">{t.home.ways[key].text}</Typography.Paragraph>
              </Card>
            </Col>
          ))}
        </Row>
      </section>

      {!me && (
        <section aria-labelledby="start-title" className="section">
          <Typography.Title level={2} id="start-title">
            {t.home.startTitle}
          </Typography.Title>
          <Typography.Paragraph>{t.home.startText}</Typography.Paragraph>
        </section>
      )}

      <section aria-labelledby="halls-title" className="section">
        <Typography.Title level={2} id="halls-title">
          {t.home.hallsTitle}
        </Typography.Title>
        <Halls />
      </section>
    </div>
  );
}

function Halls() {
  const { t } = useI18n();
  const problemText = useProblemText();
  const halls = useApi<List<Hall>>(HALLS_PATH);
  // Names of the halls' regions; without them the code is still a usable answer.
  const regions = useApi<List<Region>>(REGIONS_PATH);
  const regionName = new Map(regions.data?.items.map((r) => [r.code, r.name]));

  if (halls.loading) return <Skeleton active />;
  if (halls.error) return <Alert type="error" showIcon title={problemText(halls.error)} />;
  const items = halls.data?.items ?? [];
  if (items.length === 0) return <Empty description={t.home.hallsEmpty} />;
  return (
    <Row gutter={[16, 16]}>
      {items.map((hall) => (
        <Col key={hall.id} xs={24} md={12} xl={8}>
          <Card className="hall-card" title={<Typography.Title level={3} className="hall-title">{hall.name}</Typography.Title>} extra={regionName.get(hall.regionCode) ?? hall.regionCode}>
            <dl className="hall-facts">
              <dt>
                <EnvironmentOutlined aria-hidden /> {t.home.hallAddress}
              </dt>
              <dd>{hall.address}</dd>
              {hall.phone && (
                <>
                  <dt>
                    <PhoneOutlined aria-hidden /> {t.home.hallPhone}
                  </dt>
                  <dd>
                    <a href={`tel:${hall.phone}`}>{hall.phone}</a>
                  </dd>
                </>
              )}
              {hall.openingHours && (
                <>
                  <dt>
                    <ClockCircleOutlined aria-hidden /> {t.home.hallHours}
                  </dt>
                  <dd>{hall.openingHours}</dd>
                </>
              )}
            </dl>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

import { Card, Descriptions, Space } from 'antd';
import { useI18n, usePageTitle } from '../../app/i18n';
import { LinkButton, PageHeading } from '../../app/layout/chrome';
import { useSession } from '../../app/session';
import { RecentCases } from '../cases/RecentCases';

/** The applicant's own page: who they are (masked as the server sends it) and their cases. */
export function MePage() {
  const { t } = useI18n();
  const { me } = useSession();
  usePageTitle(t.me.title);
  const { user, idMasked, phoneMasked } = me!;
  const natural = user.kind === 'natural';

  return (
    <div className="page">
      <PageHeading title={t.me.title} intro={t.me.greeting(user.name)} />
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Card title={<h2 className="card-title">{t.me.basicInfo}</h2>}>
          <Descriptions
            column={{ xs: 1, sm: 1, md: 2 }}
            items={[
              { key: 'name', label: natural ? t.me.name : t.me.orgName, children: user.name },
              { key: 'kind', label: t.me.accountKind, children: natural ? t.me.natural : t.me.legal },
              { key: 'id', label: natural ? t.me.idNumber : t.me.creditCode, children: idMasked ?? t.me.notProvided },
              { key: 'phone', label: t.me.phone, children: phoneMasked ?? t.me.notProvided },
            ]}
          />
        </Card>
        <Card title={<h2 className="card-title">{t.me.casesTitle}</h2>}>
          <RecentCases emptyText={t.me.casesEmpty} />
        </Card>
        <Card title={<h2 className="card-title">{t.licenses.wallet.cardTitle}</h2>}>
          <LinkButton to="/me/licenses" type="link">
            {t.licenses.wallet.link}
          </LinkButton>
        </Card>
        <Card title={<h2 className="card-title">{t.me.creditTitle}</h2>}>
          <LinkButton to="/me/credit" type="link">
            {t.me.creditLink}
          </LinkButton>
        </Card>
        <Card title={<h2 className="card-title">{t.sharing.me.title}</h2>}>
          <LinkButton to="/me/data" type="link">
            {t.sharing.me.link}
          </LinkButton>
        </Card>
      </Space>
    </div>
  );
}

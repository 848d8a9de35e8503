import { useState } from 'react';
import { Button, Card, Col, Input, Row, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useI18n } from '../../app/i18n';
import { ThemeLinks } from './ThemeLinks';

/** The home page's way into the catalog: a search box, popular themes, browsing and the public lists. */
export function HomeCatalogSection() {
  const { t } = useI18n();
  const h = t.catalog.home;
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const lists = [
    { to: '/catalog/four-ways', label: t.catalog.lists.fourWays },
    { to: '/catalog/no-visit', label: t.catalog.lists.noVisit },
    { to: '/catalog/proofs', label: t.catalog.lists.proofs },
    { to: '/catalog/intermediaries', label: t.catalog.lists.intermediaries },
  ];
  return (
    <section aria-labelledby="find-title" className="section">
      <Typography.Title level={2} id="find-title">
        {h.title}
      </Typography.Title>
      <Typography.Paragraph>{h.text}</Typography.Paragraph>
      <Card>
        <form
          role="search"
          className="home-search"
          onSubmit={(event) => {
            event.preventDefault();
            const q = text.trim();
            void navigate(q ? `/items?q=${encodeURIComponent(q)}` : '/items');
          }}
        >
          <label htmlFor="home-search" className="visually-hidden">
            {h.searchLabel}
          </label>
          <div className="search-box">
            <Input id="home-search" size="large" value={text} onChange={(e) => setText(e.target.value)} placeholder={h.searchPlaceholder} maxLength={100} allowClear />
            <Button type="primary" size="large" htmlType="submit" icon={<SearchOutlined aria-hidden />}>
              {h.search}
            </Button>
          </div>
        </form>
        <Row gutter={[24, 16]} className="home-catalog">
          <Col xs={24} lg={16}>
            <Typography.Title level={3} className="table-title">
              {h.themes}
            </Typography.Title>
            <ThemeLinks limit={8} />
            <Link to="/catalog">{h.browseAll}</Link>
          </Col>
          <Col xs={24} lg={8}>
            <Typography.Title level={3} className="table-title">
              {h.lists}
            </Typography.Title>
            <ul className="compact-list">
              {lists.map((l) => (
                <li key={l.to}>
                  <Link to={l.to}>{l.label}</Link>
                </li>
              ))}
            </ul>
          </Col>
        </Row>
      </Card>
    </section>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Empty, Popover, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router';
import { useI18n } from '../../app/i18n';
import { ProblemAlert } from '../../app/problems';
import { casesApi, type MessagePage } from './api';
import { formatInstant } from './format';
import './cases.css';

/** How often the unread count is asked for while a page stays open. */
const POLL_MS = 60_000;

/**
 * The signed-in person's messages (站内消息): a bell with the unread count in the header; the
 * latest messages in a popover, each opening its case and marking itself read.
 */
export function MessagesBell({ staff }: { staff: boolean }) {
  const { t } = useI18n();
  const m = t.cases.messages;
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [page, setPage] = useState<MessagePage>();
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await casesApi.messages({ limit: 8 }));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  // On every page change (a case just submitted, a notice just read) and every minute.
  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [load, pathname]);

  const unread = page?.unreadCount ?? 0;
  const openMessage = async (id: string, caseNumber: string | null, read: boolean) => {
    setOpen(false);
    if (!read) await casesApi.readMessage(id).catch(() => undefined);
    if (caseNumber) void navigate(staff ? `/workbench/tasks/cases/${encodeURIComponent(caseNumber)}` : `/me/cases/${encodeURIComponent(caseNumber)}`);
    void load();
  };
  const readAll = async () => {
    await casesApi.readAllMessages().catch(() => undefined);
    void load();
  };

  const content = (
    <div className="messages-popover">
      {error !== null && <ProblemAlert error={error} />}
      {loading && !page && <Spin />}
      {page && page.items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={m.empty} />}
      {page && page.items.length > 0 && (
        <ul className="message-list">
          {page.items.map((msg) => (
            <li key={msg.id} className={msg.readAt ? 'message-read' : 'message-unread'}>
              <button type="button" className="message-button" onClick={() => void openMessage(msg.id, msg.caseNumber, msg.readAt !== null)}>
                <span className="message-title">
                  {!msg.readAt && <span className="visually-hidden">{m.unreadMark}</span>}
                  {msg.title}
                </span>
                <span className="message-body">{msg.body}</span>
                <Typography.Text type="secondary" className="message-time">
                  {formatInstant(msg.createdAt)}
                </Typography.Text>
              </button>
            </li>
          ))}
        </ul>
      )}
      {unread > 0 && (
        <Button type="link" size="small" onClick={() => void readAll()}>
          {m.readAll}
        </Button>
      )}
    </div>
  );

  return (
    <Popover content={content} title={m.title} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Button type="text" aria-label={m.bell(unread)} aria-haspopup="dialog" aria-expanded={open} icon={
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined aria-hidden className="bell-icon" />
        </Badge>
      } />
    </Popover>
  );
}

import { useRef, useState } from 'react';
import { App, Button, Drawer, Space, type TableColumnsType } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { useProblemText } from '../../app/problems';
import { useSession } from '../../app/session';
import { CursorTable } from '../catalog/CursorTable';
import { useCursorList } from '../catalog/useCursorList';
import { formatInstant } from '../cases/format';
import { RESOURCES_PATH, sharingApi, type Resource } from './api';
import { ResourceStatusTag, useSharingLabels } from './codes';
import { LoadedResourceDetail } from './ResourceDetail';
import { ResourceEditor } from './ResourceEditor';
import './sharing.css';

/** A dataset file chooser behind a plain button (like the case uploads), named for its resource. */
function DatasetButton({ name, busy, onPicked }: { name: string; busy: boolean; onPicked(file: File): void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".csv,.json,text/csv,application/json"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) onPicked(file);
          event.target.value = '';
        }}
      />
      <Button icon={<UploadOutlined aria-hidden />} loading={busy} aria-label={t.sharing.resources.uploadOf(name)} onClick={() => input.current?.click()}>
        {t.sharing.resources.upload}
      </Button>
    </>
  );
}

/** Our department's resources: register and edit, publish and withdraw, upload datasets to hosted ones. */
export function MyResourcesPage() {
  const { t } = useI18n();
  const e = t.sharing.resources;
  const c = t.sharing.catalog;
  usePageTitle(e.title);
  const labels = useSharingLabels();
  const { message, modal } = App.useApp();
  const problemText = useProblemText();
  const { me } = useSession();
  const list = useCursorList<Resource>(RESOURCES_PATH, { departmentId: me?.user.departmentId, limit: 50 });
  const [editing, setEditing] = useState<Resource | null | 'new'>(null);
  const [open, setOpen] = useState<Resource | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const act = async (id: string, run: () => Promise<unknown>, done: string) => {
    setBusy(id);
    try {
      await run();
      message.success(done);
      list.reload();
    } catch (err) {
      message.error(problemText(err));
    } finally {
      setBusy(null);
    }
  };

  const withdraw = (row: Resource) =>
    modal.confirm({
      title: e.withdrawOf(row.name),
      content: e.withdrawConfirm(row.name),
      okText: e.withdraw,
      okButtonProps: { danger: true },
      cancelText: t.common.cancel,
      onOk: () => act(row.id, () => sharingApi.withdraw(row.id), e.withdrawn),
    });

  const upload = async (row: Resource, file: File) => {
    setBusy(row.id);
    try {
      const report = await sharingApi.uploadDataset(row.id, file);
      message.success(e.uploaded(report.rows, report.inserted, report.updated, report.deleted, report.recordCount));
      list.reload();
    } catch (err) {
      message.error(err instanceof SyntaxError ? t.common.unexpectedError : problemText(err));
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<Resource> = [
    {
      title: c.name,
      dataIndex: 'name',
      render: (name: string, row) => (
        <Button type="link" className="link-cell" onClick={() => setOpen(row)}>
          {name}
        </Button>
      ),
    },
    { title: c.code, dataIndex: 'code', render: (v: string) => <code>{v}</code> },
    { title: t.sharing.common.status, dataIndex: 'status', render: (v: Resource['status']) => <ResourceStatusTag value={v} /> },
    { title: c.sharingType, dataIndex: 'sharingType', render: (v: string) => labels.sharingType(v) },
    { title: c.backend, dataIndex: 'backend', render: (v: string) => labels.backend(v) },
    { title: c.publishedAt, dataIndex: 'publishedAt', render: (v: string | null) => formatInstant(v) },
    {
      title: t.common.actions,
      key: 'actions',
      render: (_, row) => (
        <Space wrap>
          <Button onClick={() => setEditing(row)} aria-label={e.editOf(row.name)}>
            {e.edit}
          </Button>
          {row.status !== 'published' && (
            <Button type="primary" loading={busy === row.id} onClick={() => void act(row.id, () => sharingApi.publish(row.id), e.published)} aria-label={e.publishOf(row.name)}>
              {e.publish}
            </Button>
          )}
          {row.status === 'published' && (
            <Button danger onClick={() => withdraw(row)} aria-label={e.withdrawOf(row.name)}>
              {e.withdraw}
            </Button>
          )}
          {row.backend === 'hosted' && <DatasetButton name={row.name} busy={busy === row.id} onPicked={(file) => void upload(row, file)} />}
        </Space>
      ),
    },
  ];

  return (
    <div className="page page-wide">
      <PageHeading
        title={e.title}
        intro={
          <>
            {e.intro} {e.uploadHelp}
          </>
        }
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
            {e.create}
          </Button>
        }
      />
      <CursorTable<Resource> list={list} columns={columns} rowKey="id" caption={e.title} empty={e.empty} />
      {editing !== null && (
        <ResourceEditor
          resource={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(_, created) => {
            message.success(created ? e.created : e.saved);
            setEditing(null);
            list.reload();
          }}
        />
      )}
      <Drawer open={open !== null} onClose={() => setOpen(null)} title={open ? c.detailTitle(open.name) : ''} size="large" rootClassName="sharing-drawer" destroyOnHidden>
        {open && <LoadedResourceDetail id={open.id} />}
      </Drawer>
    </div>
  );
}

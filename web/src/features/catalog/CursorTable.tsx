import { Button, Empty, Table, type TableColumnsType } from 'antd';
import { useI18n } from '../../app/i18n';
import { ProblemAlert } from '../../app/problems';
import type { CursorList } from './useCursorList';

/** "加载更多" below a cursor-paged list, while there are more. */
export function LoadMore({ list }: { list: Pick<CursorList<unknown, unknown>, 'nextCursor' | 'loadMore' | 'loadingMore'> }) {
  const { t } = useI18n();
  if (!list.nextCursor) return null;
  return (
    <div className="load-more">
      <Button onClick={list.loadMore} loading={list.loadingMore}>
        {t.common.loadMore}
      </Button>
    </div>
  );
}

/** A cursor-paged table: the rows so far, a "load more" while there are more, and the problem if a page failed. */
export function CursorTable<T extends object>({
  list,
  columns,
  rowKey,
  caption,
  empty,
  rowClassName,
}: {
  list: CursorList<T, unknown>;
  columns: TableColumnsType<T>;
  rowKey: keyof T & string;
  /** The table's name for screen readers. */
  caption: string;
  empty: string;
  rowClassName?: (row: T) => string;
}) {
  return (
    <>
      {list.error !== null && <ProblemAlert error={list.error} />}
      <Table<T>
        rowKey={rowKey}
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowClassName={rowClassName}
        title={() => <span className="visually-hidden">{caption}</span>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      />
      <LoadMore list={list} />
    </>
  );
}

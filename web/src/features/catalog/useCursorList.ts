import { useCallback, useEffect, useRef, useState } from 'react';
import { api, isAbort, type Query } from '../../app/api';
import type { Page } from './api';

export interface CursorList<T, P> {
  /** The first page as answered (for lists whose answer carries more than items, like the four-ways report). */
  first: P | undefined;
  items: T[];
  nextCursor: string | null;
  /** The first page is under way (after a change of query or reload()). */
  loading: boolean;
  /** A "load more" is under way. */
  loadingMore: boolean;
  error: unknown;
  loadMore(): void;
  reload(): void;
}

/**
 * A cursor-paged list that grows ("加载更多"): the first page refetches when the path or query
 * changes, loadMore() appends the page after the last cursor.
 */
export function useCursorList<T, P extends Page<T> = Page<T>>(path: string, query: Query): CursorList<T, P> {
  const [first, setFirst] = useState<P>();
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const queryKey = JSON.stringify(query);
  // Abort a "load more" when the query changes under it, so a stale page is never appended.
  const moreController = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    moreController.current?.abort();
    setLoading(true);
    setError(null);
    api
      .get<P>(path, JSON.parse(queryKey) as Query, controller.signal)
      .then((page) => {
        setFirst(page);
        setItems(page.items);
        setNextCursor(page.nextCursor);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) {
          setFirst(undefined);
          setItems([]);
          setNextCursor(null);
          setError(err);
        }
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, queryKey, generation]);

  const loadMore = useCallback(() => {
    if (!nextCursor) return;
    const controller = new AbortController();
    moreController.current = controller;
    setLoadingMore(true);
    setError(null);
    api
      .get<Page<T>>(path, { ...(JSON.parse(queryKey) as Query), cursor: nextCursor }, controller.signal)
      .then((page) => {
        setItems((previous) => [...previous, ...page.items]);
        setNextCursor(page.nextCursor);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoadingMore(false);
      });
  }, [path, queryKey, nextCursor]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { first, items, nextCursor, loading, loadingMore, error, loadMore, reload };
}

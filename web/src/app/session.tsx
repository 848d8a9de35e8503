import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from './api';
import { identityApi, type Me } from '../features/identity/api';

interface Session {
  /** undefined while the first GET /auth/me is under way; null when nobody is signed in. */
  me: Me | null | undefined;
  /** Asks the server who is signed in (after login, or when a page learns the session ended). */
  refresh(): Promise<Me | null>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function isStaff(me: Me | null | undefined): me is Me {
  return me?.user.kind === 'staff';
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const current = await identityApi.me();
      setMe(current);
      return current;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setMe(null);
        return null;
      }
      // The server could not say (network down): keep what we knew rather than signing the user out.
      setMe((previous) => previous ?? null);
      throw err;
    }
  }, []);

  const signOut = useCallback(async () => {
    try {
      await identityApi.logout();
    } catch (err) {
      // Already signed out on the server (expired session): the outcome the user asked for.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
    setMe(null);
  }, []);

  useEffect(() => {
    refresh().catch(() => undefined);
  }, [refresh]);

  const value = useMemo(() => ({ me, refresh, signOut }), [me, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

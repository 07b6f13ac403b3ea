import type { SessionInfo } from '@medsec/core';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { configureApi, get, post, serverNow } from '../api/client.ts';
import { setLocale } from '../i18n/index.ts';

interface SessionContextValue {
  session: SessionInfo | null;
  /** true until the first session check finished */
  loading: boolean;
  needsSetup: boolean;
  /** Why the user is on the sign-in page (session ended, signed out). */
  notice: 'sessionEnded' | 'signedOut' | null;
  setSession(session: SessionInfo | null): void;
  reload(): Promise<void>;
  signOut(): Promise<void>;
  /** Drops the session locally and shows "your session ended" on the sign-in page. */
  expire(): void;
  /** Local time (ms) of the server's idle timeout, moved on by every request that extends it. */
  idleDeadline: number | null;
  setReauthHandler(handler: () => Promise<boolean>): void;
  can(permission: string): boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const [session, setSessionState] = useState<SessionInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const [needsSetup, setNeedsSetup] = useState(false);
  const [notice, setNotice] = useState<SessionContextValue['notice']>(null);
  const [idleDeadline, setIdleDeadline] = useState<number | null>(null);
  const sessionRef = useRef<SessionInfo | null>(null);
  // The idle window: the longest "idleExpiresAt - server now" seen (a fresh session shows the full window).
  const idleMsRef = useRef<number>(0);
  const reauthRef = useRef<() => Promise<boolean>>(async () => false);

  const setSession = useCallback((next: SessionInfo | null) => {
    sessionRef.current = next;
    setSessionState(next);
    if (next) {
      // measured against the server's clock (Date header), so a skewed local clock does not matter
      const left = new Date(next.idleExpiresAt).getTime() - serverNow();
      idleMsRef.current = Math.max(idleMsRef.current, left);
      setIdleDeadline(Date.now() + left);
      setNotice(null);
    } else {
      setIdleDeadline(null);
    }
  }, []);

  useEffect(() => {
    configureApi({
      csrf: () => sessionRef.current?.csrfToken,
      onSession: (s) => setSession(s),
      onSessionEnded: () => {
        if (sessionRef.current) {
          setNotice('sessionEnded');
        }
        setSession(null);
      },
      onReauthRequired: () => reauthRef.current(),
      onActivity: () => {
        if (sessionRef.current && idleMsRef.current > 0) {
          setIdleDeadline(Date.now() + idleMsRef.current);
        }
      },
    });
  }, [setSession]);

  const reload = useCallback(async () => {
    try {
      const setup = await get<{ needsSetup: boolean }>('/api/v1/setup');
      setNeedsSetup(setup.needsSetup);
      if (!setup.needsSetup) {
        try {
          const { session: s } = await get<{ session: SessionInfo }>('/api/v1/auth/session');
          setSession(s);
          setLocale(s.user.locale);
        } catch {
          setSession(null);
        }
      }
    } finally {
      setLoading(false);
    }
  }, [setSession]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const signOut = useCallback(async () => {
    try {
      await post('/api/v1/auth/logout');
    } catch {
      // the session may already be gone
    }
    setSession(null);
    setNotice('signedOut');
  }, [setSession]);

  const expire = useCallback(() => {
    setSession(null);
    setNotice('sessionEnded');
  }, [setSession]);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      loading,
      needsSetup,
      notice,
      setSession: (s) => {
        setSession(s);
        if (s) {
          setNeedsSetup(false);
        }
      },
      reload,
      signOut,
      expire,
      idleDeadline,
      setReauthHandler: (h) => {
        reauthRef.current = h;
      },
      can: (p) => session?.permissions.includes(p) ?? false,
    }),
    [session, loading, needsSetup, notice, setSession, reload, signOut, expire, idleDeadline],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useSession = (): SessionContextValue => {
  const ctx = useContext(SessionContext);
  if (!ctx) {
    throw new Error('useSession outside SessionProvider');
  }
  return ctx;
};

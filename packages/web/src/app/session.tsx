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
import { configureApi, get, post } from '../api/client.ts';
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
  /** Milliseconds until the idle timeout, measured locally since the last request. */
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
  const idleMsRef = useRef<number>(10 * 60_000);
  const reauthRef = useRef<() => Promise<boolean>>(async () => false);

  const setSession = useCallback((next: SessionInfo | null) => {
    sessionRef.current = next;
    setSessionState(next);
    if (next) {
      idleMsRef.current = Math.max(60_000, new Date(next.idleExpiresAt).getTime() - Date.now());
      setIdleDeadline(new Date(next.idleExpiresAt).getTime());
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
        if (sessionRef.current) {
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
      idleDeadline,
      setReauthHandler: (h) => {
        reauthRef.current = h;
      },
      can: (p) => session?.permissions.includes(p) ?? false,
    }),
    [session, loading, needsSetup, notice, setSession, reload, signOut, idleDeadline],
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

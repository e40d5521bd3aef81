import type { Identity } from '@dfinity/agent';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { setCaller } from '../api/actor';
import { AuthSession, sessionExpiresAt } from '../api/auth';
import type { AppConfig } from '../config';
import { dependsOnCaller } from './queryKeys';

export type AuthStatus = 'initializing' | 'anonymous' | 'signingIn' | 'signedIn' | 'expired';

export interface AuthState {
  status: AuthStatus;
  principal: string | undefined;
  signInError: string | undefined;
  signIn: () => void;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

type ExpiryListener = () => void;
const expiryListeners = new Set<ExpiryListener>();

/** Called by the query client when a call fails with SessionExpired. */
export function reportSessionExpired(): void {
  for (const listener of expiryListeners) listener();
}

export function AuthProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<AuthStatus>('initializing');
  const [principal, setPrincipal] = useState<string | undefined>();
  const [signInError, setSignInError] = useState<string | undefined>();
  const expiryTimer = useRef<number | undefined>(undefined);
  const statusRef = useRef(status);
  statusRef.current = status;

  const expire = useCallback(() => {
    if (statusRef.current !== 'signedIn') return;
    // Reads keep working anonymously; forms keep their drafts until the person signs in again.
    setCaller(undefined);
    setStatus('expired');
    void queryClient.invalidateQueries();
  }, [queryClient]);

  const session = useMemo(
    () => new AuthSession(config, { onIdle: () => expire() }),
    [config, expire],
  );

  const adopt = useCallback(
    (identity: Identity | undefined) => {
      window.clearTimeout(expiryTimer.current);
      const callerChanged = setCaller(identity) === 'changed';
      if (identity) {
        setPrincipal(identity.getPrincipal().toText());
        setStatus('signedIn');
        const expiresAt = sessionExpiresAt(identity);
        if (expiresAt !== undefined) {
          // setTimeout caps at ~24.8 days; sessions last hours.
          expiryTimer.current = window.setTimeout(expire, Math.max(0, expiresAt - Date.now()));
        }
      } else {
        setPrincipal(undefined);
        setStatus('anonymous');
      }
      // Caller-specific data (whoami, my votes, my credits) must be fetched again. A visitor
      // without a stored session stays the anonymous caller they were while the session was
      // looked up, and what was read for them meanwhile (the landing page) stays valid.
      if (callerChanged) {
        void queryClient.resetQueries({ predicate: (query) => dependsOnCaller(query.queryKey) });
      }
    },
    [expire, queryClient],
  );

  useEffect(() => {
    let cancelled = false;
    session
      .restore()
      .then((identity) => {
        if (!cancelled) adopt(identity);
      })
      .catch(() => {
        if (!cancelled) adopt(undefined);
      });
    return () => {
      cancelled = true;
    };
  }, [session, adopt]);

  useEffect(() => {
    expiryListeners.add(expire);
    return () => {
      expiryListeners.delete(expire);
      window.clearTimeout(expiryTimer.current);
    };
  }, [expire]);

  const signIn = useCallback(() => {
    setSignInError(undefined);
    const before = statusRef.current;
    setStatus('signingIn');
    session.login().then(
      (identity) => adopt(identity),
      (error: unknown) => {
        setSignInError(error instanceof Error ? error.message : String(error));
        setStatus(before === 'expired' ? 'expired' : 'anonymous');
      },
    );
  }, [session, adopt]);

  const signOut = useCallback(async () => {
    await session.logout();
    adopt(undefined);
  }, [session, adopt]);

  const value = useMemo<AuthState>(
    () => ({ status, principal, signInError, signIn, signOut }),
    [status, principal, signInError, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}

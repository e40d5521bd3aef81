import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { CanisterError } from '../api/errors';
import { reportSessionExpired } from '../hooks/auth';

function onError(error: unknown) {
  if (error instanceof CanisterError && error.kind === 'SessionExpired') reportSessionExpired();
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // One more attempt, soon, when the network could not be reached (the agent has already
        // resent once): a page shows its error and "Try again" within about two seconds rather
        // than spinning. Canister answers are final, and a read that timed out is not repeated
        // behind the reader's back either: it already took the whole time allowed.
        retry: (failures, error) =>
          failures < 1 && error instanceof CanisterError && error.kind === 'Network',
        retryDelay: 500,
      },
      mutations: { retry: false },
    },
  });
}

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
        // Only transient network failures are worth repeating; canister answers are final.
        retry: (failures, error) =>
          failures < 2 && error instanceof CanisterError && error.kind === 'Network',
      },
      mutations: { retry: false },
    },
  });
}

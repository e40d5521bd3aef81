import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Roadmap } from '../../../src/frontend/src/api/models';
import { MemoryRouter } from 'react-router';

export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
}

export function Providers({ client, children }: { client: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={client}>
      <MemoryRouter>{children}</MemoryRouter>
    </QueryClientProvider>
  );
}

export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** One theme, one milestone, one item: enough roadmap for pages that look titles up in it. */
export function sampleRoadmap(): Roadmap {
  return {
    themes: [
      {
        id: '1',
        slug: 'ai',
        title: 'Decentralized AI',
        summary: '',
        order: 0,
        milestones: [
          {
            id: '1',
            themeId: '1',
            slug: 'cyclotron',
            name: 'Cyclotron',
            summary: '',
            status: 'Deployed',
            eta: undefined,
            order: 0,
            commentCount: 0,
            items: [
              {
                id: '1',
                milestoneId: '1',
                slug: 'simd',
                title: 'Deterministic WebAssembly SIMD',
                description: '',
                status: 'Deployed',
                links: [],
                order: 0,
                priority: { votes: 0, supporters: 0 },
                commentCount: 0,
              },
            ],
          },
        ],
      },
    ],
  };
}

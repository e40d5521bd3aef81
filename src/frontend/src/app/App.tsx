import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { configureBackend } from '../api/actor';
import type { AppConfig } from '../config';
import { AuthProvider } from '../hooks/auth';
import { createQueryClient } from './queryClient';
import { routes } from './routes';

export function App({ config }: { config: AppConfig }) {
  const [queryClient] = useState(() => {
    configureBackend(config);
    return createQueryClient();
  });
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider config={config}>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>
  );
}

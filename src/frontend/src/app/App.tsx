import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import type { AppConfig } from '../config';
import { AuthProvider } from '../hooks/auth';
import { routes } from './routes';

/** The backend is configured and the query client made before rendering (see main.tsx). */
export function App({ config, queryClient }: { config: AppConfig; queryClient: QueryClient }) {
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider config={config}>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>
  );
}

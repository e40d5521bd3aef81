import type { RouteObject } from 'react-router';
import { Loading } from '../components/Feedback';
import { Layout } from '../components/Layout';
import { RouteError } from './RouteError';

/** Each page is its own chunk so the first load only carries the shell and the roadmap. */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteError />,
    // Shown while the first page's chunk loads (the router would otherwise warn about it).
    hydrateFallbackElement: <Loading />,
    children: [
      {
        index: true,
        lazy: () => import('../pages/RoadmapPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'roadmap/items/:id',
        lazy: () => import('../pages/ItemPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'roadmap/milestones/:id',
        lazy: () => import('../pages/MilestonePage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'proposals',
        lazy: () => import('../pages/ProposalsPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'proposals/new',
        lazy: () => import('../pages/SubmitPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'proposals/:id',
        lazy: () => import('../pages/ProposalPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'members/:principal',
        lazy: () => import('../pages/ProfilePage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'activity',
        lazy: () => import('../pages/ActivityPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'admin',
        lazy: () => import('../pages/AdminPage').then((m) => ({ Component: m.default })),
      },
      {
        path: '*',
        lazy: () => import('../pages/NotFoundPage').then((m) => ({ Component: m.default })),
      },
    ],
  },
];

import type { RouteObject } from 'react-router';
import { Loading } from '../components/Feedback';
import { Layout } from '../components/Layout';
import RoadmapPage from '../pages/RoadmapPage';
import { RouteError } from './RouteError';

/**
 * Each page is its own chunk, except the roadmap: it is the landing page, and loading it with
 * the shell saves a round trip (and the time to start it) before the first query can run.
 */
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
        Component: RoadmapPage,
      },
      {
        path: 'roadmap/themes/:id',
        lazy: () => import('../pages/ThemePage').then((m) => ({ Component: m.default })),
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
        path: 'search',
        lazy: () => import('../pages/SearchPage').then((m) => ({ Component: m.default })),
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
        path: 'inbox',
        lazy: () => import('../pages/InboxPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'how-it-works',
        lazy: () => import('../pages/HowItWorksPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'verify/:kind/:id',
        lazy: () => import('../pages/VerifyTallyPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'api',
        lazy: () => import('../pages/ApiPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'admin',
        lazy: () => import('../pages/AdminPage').then((m) => ({ Component: m.default })),
      },
      {
        path: 'moderation',
        lazy: () => import('../pages/ModerationPage').then((m) => ({ Component: m.default })),
      },
      {
        path: '*',
        lazy: () => import('../pages/NotFoundPage').then((m) => ({ Component: m.default })),
      },
    ],
  },
];

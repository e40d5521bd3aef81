import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { configureBackend, warmUpBackend } from './api/actor';
import { App } from './app/App';
import { createQueryClient } from './app/queryClient';
import './app/styles.css';
import { appConfig } from './config';
import { prefetchForPath } from './hooks/queries';

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');

const config = appConfig();
configureBackend(config);
const queryClient = createQueryClient();
// The agent's setup and the first page's data are requested before React renders, so the
// round trips overlap with rendering the shell instead of following it.
warmUpBackend();
prefetchForPath(queryClient, window.location.pathname);

createRoot(root).render(
  <StrictMode>
    <App config={config} queryClient={queryClient} />
  </StrictMode>,
);

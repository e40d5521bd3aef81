import { fileURLToPath } from 'node:url';
import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';
import { agentBlsOnDemand, preloadRootKey } from './vitePlugins';

const frontendRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const blsOnDemand = fileURLToPath(new URL('./src/api/blsOnDemand.ts', import.meta.url));

// Network settings are baked in at build time. The app's own VITE_* variables win; dfx's
// variables (set by `dfx deploy` for the canisters in dfx.json) are the fallback, so the
// same build works under localnet's `npm start`, `dfx deploy` and `dfx deploy --network ic`.
export default defineConfig(({ command, mode }) => {
  // A build started from a test runner inherits NODE_ENV=test, which would ship React's
  // development build (3× larger); production-mode builds are production builds.
  if (command === 'build' && mode === 'production') process.env.NODE_ENV = 'production';
  const env = { ...loadEnv(mode, repoRoot, ''), ...process.env };
  const pick = (...names: string[]): string => {
    for (const name of names) {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
    }
    return '';
  };
  const dfxNetwork = pick('DFX_NETWORK');
  const network = pick('VITE_NETWORK') || (dfxNetwork === 'ic' ? 'ic' : dfxNetwork ? 'local' : '');

  return {
    root: frontendRoot,
    base: '/',
    envDir: repoRoot,
    plugins: [
      react(),
      agentBlsOnDemand(blsOnDemand),
      preloadRootKey(network, pick('VITE_IC_HOST')),
    ],
    define: {
      'import.meta.env.VITE_NETWORK': JSON.stringify(network),
      'import.meta.env.VITE_BACKEND_CANISTER_ID': JSON.stringify(
        pick('VITE_BACKEND_CANISTER_ID', 'CANISTER_ID_BACKEND'),
      ),
      'import.meta.env.VITE_IC_HOST': JSON.stringify(pick('VITE_IC_HOST')),
      'import.meta.env.VITE_II_URL': JSON.stringify(pick('VITE_II_URL')),
      'import.meta.env.VITE_II_CANISTER_ID': JSON.stringify(
        pick('VITE_II_CANISTER_ID', 'CANISTER_ID_INTERNET_IDENTITY'),
      ),
    },
    build: {
      outDir: fileURLToPath(new URL('../../dist/frontend', import.meta.url)),
      emptyOutDir: true,
      sourcemap: false,
      chunkSizeWarningLimit: 600,
    },
    server: { port: 5173 },
  };
});

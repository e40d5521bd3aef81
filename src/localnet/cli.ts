/**
 * `npm start`: builds what is stale, starts localnet, deploys the backend and the frontend,
 * seeds an empty backend and prints where everything is. Ctrl-C stops cleanly (pre_upgrade
 * runs and state is flushed), so the next start resumes where this one left off.
 */
import { startLocalnet } from './launch/launch';
import { parseLaunchArgs, usage } from './launch/options';
import {
  CYCLES_LEDGER_ID,
  CYCLES_MINTING_CANISTER_ID,
  ICP_LEDGER_ID,
  NNS_GOVERNANCE_ID,
} from './system/ids';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseLaunchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (parsed === 'help') {
    console.log(usage);
    return;
  }
  const started = Date.now();
  const localnet = await startLocalnet({
    ...parsed,
    log: (line) => console.log(`[localnet] ${line}`),
  });
  console.log(`
Roadmap Commons is running on localnet (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  App:                http://${localnet.frontendId.toText()}.localhost:${localnet.port}/
                      (or ${localnet.apiUrl}/?canisterId=${localnet.frontendId.toText()})
  Backend canister:   ${localnet.backendId.toText()}
  HTTP interface:     ${localnet.apiUrl}
  Internet Identity:  ${localnet.iiUrl}  (dev stand-in; sign in as "admin" to maintain the roadmap)
  Admin principal:    ${localnet.adminPrincipal.toText()}

  System canisters (mainnet ids, for icp-cli and dfx):
    ICP ledger               ${ICP_LEDGER_ID.toText()}
    cycles minting canister  ${CYCLES_MINTING_CANISTER_ID.toText()}
    cycles ledger            ${CYCLES_LEDGER_ID.toText()}
    NNS governance           ${NNS_GOVERNANCE_ID.toText()}  (stand-in: neurons, proposals; npm run nns)
  icp-cli:            ${icpCliHint(localnet.apiUrl)}

Press Ctrl-C to stop.
`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\n[localnet] stopping…');
    localnet.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** icp.yaml's `local` environment points at localnet's default address. */
function icpCliHint(apiUrl: string): string {
  const configured = 'http://127.0.0.1:4943';
  return apiUrl === configured
    ? 'icp deploy -e local   (README: "Deploying with icp-cli"; without GitHub, its app: npm run icp:frontend)'
    : `icp.yaml's local environment expects ${configured}; this localnet is ${apiUrl}`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { parseArgs } from 'node:util';
import { Principal } from '@dfinity/principal';

/** What `npm start` (src/localnet/cli.ts) and the test harnesses ask localnet for. */
export interface LaunchOptions {
  /** Loopback port for the HTTP interface and the gateway; 0 picks a free one. */
  port: number;
  host: string;
  /** Where canister state, keys and build caches live between runs. */
  stateDir: string;
  /** Wipe `stateDir` before starting. */
  clean: boolean;
  /** Create demo members, proposals, votes and threads in an empty backend. */
  demo: boolean;
  /** Added to the backend's admins at install or upgrade (beside the dev user `admin`). */
  admins: Principal[];
  /** Count executed wasm instructions per message (benchmarks). */
  metering: boolean;
  /** Print one line per executed message. */
  logMessages: boolean;
}

export const defaultLaunchOptions: LaunchOptions = {
  port: 4943,
  host: '127.0.0.1',
  stateDir: '.localnet',
  clean: false,
  demo: true,
  admins: [],
  metering: false,
  logMessages: true,
};

export const usage = `Usage: npm start -- [options]

Starts localnet, the embedded local Internet Computer network, builds what is stale, deploys
the backend and the frontend, and prints the app URL.

Options:
  --port <n>            HTTP port on 127.0.0.1 (default 4943)
  --state-dir <dir>     where state lives (default .localnet)
  --clean               start from an empty state folder
  --no-demo             do not create demo members, proposals, votes and threads
  --admin <principal>   make this principal a backend admin (repeatable)
  --metering            count wasm instructions per message (slower)
  --quiet               do not log each message
  --help                show this text
`;

/** Parses `process.argv`-style arguments; throws an Error with a readable message on bad input. */
export function parseLaunchArgs(argv: string[]): LaunchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      'state-dir': { type: 'string' },
      clean: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      admin: { type: 'string', multiple: true },
      metering: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const options: LaunchOptions = { ...defaultLaunchOptions };
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
    }
    options.port = port;
  }
  if (values['state-dir'] !== undefined) options.stateDir = values['state-dir'];
  options.clean = values.clean ?? false;
  options.demo = !(values['no-demo'] ?? false);
  options.metering = values.metering ?? false;
  options.logMessages = !(values.quiet ?? false);
  options.admins = (values.admin ?? []).map((text) => {
    try {
      return Principal.fromText(text);
    } catch {
      throw new Error(`--admin expects a principal, got "${text}"`);
    }
  });
  return options;
}

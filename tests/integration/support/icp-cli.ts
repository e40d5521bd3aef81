/**
 * Running DFINITY's icp-cli (the npm package `@icp-sdk/icp-cli-linux-x64`) against localnet:
 * a private icp-cli home (identities), and a project folder that is this repository as icp-cli
 * sees it, with icp.yaml pointing at the test's localnet port instead of 4943.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const PACKAGE = '@icp-sdk/icp-cli-linux-x64';

/** The icp binary, or why it cannot run on this machine. */
export function icpBinary(): { path: string } | { missing: string } {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      missing: `${PACKAGE} ships a Linux x64 binary; this machine is ${process.platform}-${process.arch}`,
    };
  }
  try {
    const pkg = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
    const path = join(dirname(pkg), 'bin', 'icp');
    return existsSync(path) ? { path } : { missing: `${path} is missing: run npm ci` };
  } catch {
    return { missing: `${PACKAGE} is not installed: run npm ci` };
  }
}

export interface IcpResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class IcpCli {
  readonly home = mkdtempSync(join(tmpdir(), 'roadmap-commons-icp-home-'));

  constructor(
    private readonly binary: string,
    /** Where icp runs: the project folder. */
    public cwd: string,
  ) {}

  run(args: string[], timeoutMs = 240_000): Promise<IcpResult> {
    return this.exec(this.binary, args, timeoutMs);
  }

  /** Runs any command in the project folder with this icp-cli home, as a developer's shell would. */
  exec(command: string, args: string[], timeoutMs = 240_000): Promise<IcpResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: this.cwd,
        env: { ...process.env, ICP_HOME: this.home, RUST_BACKTRACE: '0', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
  }

  /** Runs icp and returns its stdout; a non-zero exit fails with everything it printed. */
  async ok(args: string[]): Promise<string> {
    const r = await this.run(args);
    if (r.code !== 0) {
      throw new Error(`icp ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    }
    return r.stdout;
  }
}

/**
 * A folder icp-cli treats as this project: every top-level entry of the repository linked in,
 * and icp.yaml copied with the localnet URL moved to `port` (its own `.icp/` folder keeps the
 * test's canister ids out of the repository).
 */
export function projectForPort(root: string, port: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'roadmap-commons-icp-project-'));
  for (const entry of readdirSync(root)) {
    if (entry === 'icp.yaml' || entry === '.icp' || entry === '.git') continue;
    symlinkSync(join(root, entry), join(dir, entry));
  }
  const manifest = readFileSync(join(root, 'icp.yaml'), 'utf8');
  const localUrl = 'url: http://127.0.0.1:4943';
  if (!manifest.includes(localUrl)) throw new Error(`icp.yaml no longer says "${localUrl}"`);
  writeFileSync(join(dir, 'icp.yaml'), manifest.replace(localUrl, `url: http://127.0.0.1:${port}`));
  mkdirSync(join(dir, '.icp'));
  return dir;
}

import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Rebuilds an artefact only when what it is built from changed. Freshness is a hash of the
 * inputs' contents (not mtimes, which a fresh clone sets to "now"), stored beside the
 * node_modules cache so a clean state folder does not force a rebuild.
 */
export interface Artefact {
  name: string;
  /** Files and folders (recursively) whose contents determine the output. */
  inputs: string[];
  /** Paths excluded from the inputs, e.g. files the build itself writes. */
  exclude?: string[];
  /** Extra values that change the output, e.g. build-time environment. */
  salt?: Record<string, string>;
  /** Exists after a successful build. */
  output: string;
  command: string[];
  env?: Record<string, string>;
}

const stampDir = join('node_modules', '.cache', 'roadmap-commons');

export function inputsHash(root: string, artefact: Artefact): string {
  const hash = createHash('sha256');
  const excluded = new Set((artefact.exclude ?? []).map((path) => join(root, path)));
  const visit = (path: string): void => {
    if (excluded.has(path) || !existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
      return;
    }
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  };
  for (const input of artefact.inputs) visit(join(root, input));
  hash.update(JSON.stringify(Object.entries(artefact.salt ?? {}).sort()));
  return hash.digest('hex');
}

/** Builds `artefact` when it is missing or stale; returns whether it built. */
export async function buildIfStale(
  root: string,
  artefact: Artefact,
  log: (line: string) => void,
): Promise<boolean> {
  const stamp = join(root, stampDir, `${artefact.name}.sha256`);
  const expected = inputsHash(root, artefact);
  // The stamp also names the output it saw, so a build made by hand with other settings
  // (say a plain `npm run build:frontend`) is not mistaken for this one.
  const upToDate =
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === `${expected} ${outputHash(root, artefact)}`;
  if (upToDate) return false;
  log(`building ${artefact.name}…`);
  const started = Date.now();
  await run(root, artefact.command, artefact.env ?? {});
  mkdirSync(join(root, stampDir), { recursive: true });
  writeFileSync(stamp, `${expected} ${outputHash(root, artefact)}`);
  log(`built ${artefact.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

function outputHash(root: string, artefact: Artefact): string {
  const output = join(root, artefact.output);
  if (!existsSync(output)) return 'missing';
  return createHash('sha256').update(readFileSync(output)).digest('hex');
}

function run(cwd: string, command: string[], env: Record<string, string>): Promise<void> {
  const [file, ...args] = command;
  if (file === undefined) return Promise.reject(new Error('empty build command'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command.join(' ')} failed with exit code ${code}:\n${output}`)),
    );
  });
}

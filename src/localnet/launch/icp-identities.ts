/**
 * The identities of icp-cli on this machine, which localnet funds at start the way
 * `icp network start` funds them on icp-cli's own local networks. icp-cli keeps their list
 * (with each principal) in `identity/identity_list.json` under its data folder: `$ICP_HOME`
 * when set, else `$XDG_DATA_HOME/icp-cli` or `~/.local/share/icp-cli`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Principal } from '@dfinity/principal';

export function icpCliDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ICP_HOME) return env.ICP_HOME;
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'icp-cli');
}

/** Principals of icp-cli's identities (anonymous excluded); none when icp-cli has no list. */
export function icpCliIdentities(
  dataDir = icpCliDataDir(),
): { name: string; principal: Principal }[] {
  const file = join(dataDir, 'identity', 'identity_list.json');
  if (!existsSync(file)) return [];
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const identities = (list as { identities?: Record<string, { principal?: unknown }> }).identities;
  const out: { name: string; principal: Principal }[] = [];
  for (const [name, spec] of Object.entries(identities ?? {})) {
    if (typeof spec.principal !== 'string') continue;
    try {
      const principal = Principal.fromText(spec.principal);
      if (!principal.isAnonymous()) out.push({ name, principal });
    } catch {
      // Not a principal: an identity kind this reader does not know; nothing to fund.
    }
  }
  return out;
}

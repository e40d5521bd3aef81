/**
 * Folders that a running localnet serves as asset canisters at canister ids that tools outside
 * it created, kept in `<state dir>/asset-folders.json` (`{ "<canister id>": "<folder>" }`).
 *
 * icp-cli creates the `frontend` canister of icp.yaml but, without GitHub, cannot fetch the
 * asset canister module to install in it; `scripts/icp-frontend.ts` builds the app for the
 * backend icp-cli deployed and registers the build here for that canister, which localnet's
 * gateway then serves the way it serves `npm start`'s own frontend (a folder plays the asset
 * canister where no module is installed). The file lives in the state folder because the
 * canisters it names do: `--clean` forgets both, and a restart serves the folders again.
 */
import {
  existsSync,
  readFileSync,
  renameSync,
  unwatchFile,
  watchFile,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { Principal } from '@dfinity/principal';

export const ASSET_FOLDERS_FILE = 'asset-folders.json';

/** The registrations in `stateDir`, canister id (text) → absolute folder. */
export function readAssetFolders(stateDir: string): Map<string, string> {
  const file = join(stateDir, ASSET_FOLDERS_FILE);
  if (!existsSync(file)) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} must be an object of canister id → folder`);
  }
  const folders = new Map<string, string>();
  for (const [id, dir] of Object.entries(parsed)) {
    if (typeof dir !== 'string') throw new Error(`${file}: the folder of ${id} is not a string`);
    folders.set(Principal.fromText(id).toText(), resolve(dir));
  }
  return folders;
}

/** Registers `dir` for `canisterId` (replacing an earlier folder), atomically for a watcher. */
export function registerAssetFolder(stateDir: string, canisterId: Principal, dir: string): void {
  const folders = readAssetFolders(stateDir);
  folders.set(canisterId.toText(), resolve(dir));
  const file = join(stateDir, ASSET_FOLDERS_FILE);
  // Written aside and renamed, so that localnet never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(Object.fromEntries(folders), null, 2)}\n`);
  renameSync(partial, file);
}

/** What the watcher needs of localnet: whether a canister exists, and the gateway's registry. */
export interface AssetFolderTarget {
  canisterExists(id: Principal): boolean;
  register(id: Principal, dir: string): void;
  unregister(id: Principal): void;
}

/**
 * Serves the registered folders now and whenever the file changes, until the returned function
 * is called. A folder is served only at a canister that exists on this localnet: ids left over
 * from another state folder would otherwise answer as if they had been deployed here.
 */
export function watchAssetFolders(
  stateDir: string,
  target: AssetFolderTarget,
  log: (line: string) => void,
): () => void {
  const file = join(stateDir, ASSET_FOLDERS_FILE);
  let served = new Map<string, string>();
  const apply = (): void => {
    let wanted: Map<string, string>;
    try {
      wanted = readAssetFolders(stateDir);
    } catch (error) {
      log(`ignoring ${file}: ${(error as Error).message}`);
      return;
    }
    const next = new Map<string, string>();
    for (const [id, dir] of wanted) {
      const principal = Principal.fromText(id);
      if (!target.canisterExists(principal)) {
        if (served.get(id) !== dir) log(`not serving ${dir}: no canister ${id} on this localnet`);
        continue;
      }
      next.set(id, dir);
      if (served.get(id) === dir) continue;
      target.register(principal, dir);
      log(`serving ${dir} as the assets of canister ${id}`);
    }
    for (const id of served.keys()) {
      if (!next.has(id)) target.unregister(Principal.fromText(id));
    }
    served = next;
  };
  apply();
  // Polling the file's stat (once a second) also notices a file that does not exist yet, and
  // it behaves the same on every platform, unlike fs.watch on a renamed-over file.
  const listener = (): void => apply();
  watchFile(file, { interval: 1000, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}

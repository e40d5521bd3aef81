/**
 * Restart and clean stop of the node. Localnet keeps stable memory (and settings) on disk, not
 * heaps, so a restart behaves like an upgrade of every canister to its own module: post_upgrade
 * runs over the persisted stable memory. A clean stop runs pre_upgrade first and writes a
 * checkpoint, as an upgrade would have.
 */
import type { Canister } from './canister';
import type { Durability } from './durability';
import type { Installer } from './install';
import { newExecution, runEntry } from './messages';
import type { ReplicaState } from './replica-state';
import { StorageError, type LoadedCanister, type StateStore } from '../state/store';

/** Recreates the persisted canisters and restarts those with a module (failures are kept). */
export function restartCanisters(
  state: ReplicaState,
  installer: Installer,
  store: StateStore,
  loaded: Iterable<LoadedCanister>,
): void {
  const toRestart: [Canister, string][] = [];
  for (const l of loaded) {
    const c = state.canisterFromMeta(l.meta);
    c.stable.load(l.stableSizePages, l.pages);
    c.history.load(l.history.total, l.history.recent);
    state.canisters.set(c.id.toText(), c);
    if (l.meta.moduleHash !== undefined) toRestart.push([c, l.meta.moduleHash]);
  }
  for (const [c, hash] of toRestart) {
    try {
      const wasm = store.loadModule(hash);
      installer.performInstall(c, wasm, 'upgrade', true, c.installArg, c.installer, true);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      state.restartErrors.set(c.id.toText(), message);
      state.debugSink(c.id, `restart failed: ${message}`);
    }
  }
}

/**
 * Runs every canister's pre_upgrade (journaled like any message) and writes a checkpoint. The
 * message queue must be empty and closed.
 */
export function stopCleanly(state: ReplicaState, durability: Durability): void {
  for (const c of state.canisters.values()) {
    const instance = c.instance;
    if (!instance?.hasExport('canister_pre_upgrade')) continue;
    c.begin();
    const exe = newExecution({
      kind: 'pre_upgrade',
      timeNanos: state.timeNanos(),
      caller: c.installer.toUint8Array(),
    });
    const trap = runEntry(
      state,
      c,
      exe,
      'canister_pre_upgrade',
      () => instance.invoke('canister_pre_upgrade'),
      state.limits.install,
    );
    if (trap) {
      c.rollback();
      state.debugSink(c.id, `pre_upgrade trapped at shutdown: ${trap.message}`);
    } else {
      const failure = durability.commitDurably(c);
      if (failure) state.debugSink(c.id, `pre_upgrade at shutdown not saved: ${failure.message}`);
    }
  }
  try {
    durability.checkpoint();
  } catch (err) {
    // The journal holds everything; the checkpoint only compacts it.
    if (!(err instanceof StorageError)) throw err;
    durability.store?.syncNow();
    durability.reportStorageError(err);
  }
}

/**
 * What the management canister may do to the replica's canisters: create them (with the id
 * allocation), install code, change settings, start, stop and delete them. Each change is
 * journaled before it is acknowledged and undone when the disk refuses it.
 */
import { Principal } from '@dfinity/principal';
import type { Canister } from './canister';
import type { ChangeDetails, ChangeOrigin } from './canister-history';
import { APPLICATION_SUBNET_RANGE, canisterIdFromIndex } from './ids';
import type { Durability } from './durability';
import type { Installer } from './install';
import { managementError, outOfStorage } from './messages';
import { RejectCode } from './replica-api';
import type { ReplicaState } from './replica-state';
import type { Snapshots } from './snapshots';
import { ManagementError, type ManagementHost } from '../management/management-canister';
import { StorageError } from '../state/store';

/** A stopping canister whose last call context closed: it is stopped, and its waiters told. */
export function finishStop(durability: Durability, c: Canister): void {
  c.status = 'stopped';
  try {
    durability.persist(c);
  } catch {
    // Not journaled: a restart finds it stopping, which a restart turns into stopped anyway.
  }
  const waiters = c.stopWaiters;
  c.stopWaiters = [];
  for (const w of waiters) w();
}

export function createManagementHost(
  state: ReplicaState,
  durability: Durability,
  installer: Installer,
  snapshots: Snapshots,
): ManagementHost {
  const recordChange = (c: Canister, origin: ChangeOrigin, details: ChangeDetails): void =>
    c.history.record({
      timestampNanos: state.timeNanos().toString(),
      canisterVersion: c.version.toString(),
      origin,
      details,
    });
  const existing = (id: Principal): Canister => {
    const c = state.canisters.get(id.toText());
    if (!c) {
      throw new ManagementError(
        RejectCode.DestinationInvalid,
        'IC0301',
        `Canister ${id.toText()} not found`,
      );
    }
    return c;
  };
  return {
    defaultCycles: state.defaultCycles,
    lookup: (id) => state.canisters.get(id.toText()),
    createCanister: ({ specifiedId, controllers, cycles, origin }) => {
      let id: Principal;
      const indexBefore = state.nextIndex;
      const taken = (p: Principal): boolean =>
        state.canisters.has(p.toText()) || state.reserved.has(p.toText());
      if (specifiedId) {
        if (taken(specifiedId)) {
          // The IC's CanisterAlreadyExists, as PocketIC reports it for a specified id.
          throw new ManagementError(
            RejectCode.CanisterError,
            'IC0538',
            `Canister ${specifiedId.toText()} is already installed.`,
          );
        }
        id = specifiedId;
      } else {
        // State from before ids came from the application range continues there.
        if (state.nextIndex < APPLICATION_SUBNET_RANGE.start) {
          state.nextIndex = APPLICATION_SUBNET_RANGE.start;
        }
        while (taken(canisterIdFromIndex(state.nextIndex))) state.nextIndex++;
        if (state.nextIndex > APPLICATION_SUBNET_RANGE.end) {
          state.nextIndex = indexBefore;
          throw new ManagementError(
            RejectCode.SysTransient,
            'IC0501',
            'Canister id allocation failed: the application subnet range is exhausted',
          );
        }
        id = canisterIdFromIndex(state.nextIndex);
        state.nextIndex++;
      }
      const c = state.newCanister(id, controllers, cycles);
      recordChange(
        c,
        origin ?? { kind: 'user', userId: (controllers[0] ?? Principal.anonymous()).toText() },
        { kind: 'creation', controllers: controllers.map((p) => p.toText()) },
      );
      durability.persist(c, () => {
        state.nextIndex = indexBefore;
      });
      state.canisters.set(id.toText(), c);
      return id;
    },
    installCode: ({ canisterId, mode, skipPreUpgrade, wasm, arg, sender, origin }) => {
      const c = existing(canisterId);
      installer.performInstall(c, wasm, mode, skipPreUpgrade, arg, sender, false, origin);
    },
    setControllers: (id, controllers, origin) => {
      const c = state.canisters.get(id.toText());
      if (!c) return;
      const before = { controllers: c.controllers, version: c.version };
      c.controllers = controllers;
      c.version++;
      recordChange(c, origin, {
        kind: 'controllers_change',
        controllers: controllers.map((p) => p.toText()),
      });
      durability.persist(c, () => {
        Object.assign(c, before);
      });
    },
    startCanister: (id) => {
      const c = state.canisters.get(id.toText());
      if (!c) return;
      const before = c.status;
      c.status = 'running';
      durability.persist(c, () => {
        c.status = before;
      });
      const waiters = c.stopWaiters;
      c.stopWaiters = [];
      for (const w of waiters) w();
    },
    stopCanister: (id) => {
      const c = state.canisters.get(id.toText());
      if (!c || c.status === 'stopped') return Promise.resolve();
      const before = c.status;
      c.status = 'stopping';
      durability.persist(c, () => {
        c.status = before;
      });
      const done = new Promise<void>((resolve) => c.stopWaiters.push(resolve));
      if (c.openContexts === 0) finishStop(durability, c);
      return done;
    },
    uninstallCode: (id, origin) => {
      const c = state.canisters.get(id.toText());
      if (!c) return;
      const before = {
        module: c.module,
        instance: c.instance,
        certifiedData: c.certifiedData,
        globalTimer: c.globalTimer,
        version: c.version,
      };
      c.stable.begin();
      const stableBackup = { size: c.stable.size, pages: c.stable.allPages() };
      // Module, heap, stable memory, certified data and timer go; callbacks the old instance
      // registered are rejected when their responses arrive.
      c.stable.reset();
      c.module = undefined;
      c.instance = undefined;
      c.certifiedData = new Uint8Array(0);
      c.globalTimer = 0n;
      c.version++;
      recordChange(c, origin, { kind: 'code_uninstall' });
      durability.persist(c, () => {
        Object.assign(c, before);
        c.stable.load(stableBackup.size, stableBackup.pages);
      });
      c.stable.commit();
      state.restartErrors.delete(id.toText());
    },
    topUp: (id, amount) => {
      const c = state.canisters.get(id.toText());
      if (!c) return;
      const before = c.cyclesBalance;
      c.cyclesBalance += amount;
      durability.persist(c, () => {
        c.cyclesBalance = before;
      });
    },
    deleteCanister: (id) => {
      const c = state.canisters.get(id.toText());
      if (!c) return;
      try {
        durability.writeRecord([{ meta: { id: id.toText(), deleted: true } }]);
      } catch (err) {
        if (!(err instanceof StorageError)) throw err;
        durability.reportStorageError(err);
        throw managementError(outOfStorage(err));
      }
      state.canisters.delete(id.toText());
      snapshots.deleteAll(id.toText());
    },
    takeSnapshot: (id, replace) => snapshots.take(existing(id), replace),
    loadSnapshot: (id, snapshotId, origin) => snapshots.load(existing(id), snapshotId, origin),
    listSnapshots: (id) => snapshots.list(existing(id)),
    deleteSnapshot: (id, snapshotId) => snapshots.delete(existing(id), snapshotId),
  };
}

/**
 * Installing code: install, reinstall and upgrade as one transaction (pre_upgrade, a new
 * instance, init or post_upgrade), with the module prepared once per hash and saved before the
 * install commits, so that a trap or a full disk leaves the canister exactly as it was.
 */
import { Principal } from '@dfinity/principal';
import { createHash } from 'node:crypto';
import type { Canister } from './canister';
import type { ChangeOrigin } from './canister-history';
import type { Durability } from './durability';
import {
  hex,
  managementError,
  newExecution,
  outOfStorage,
  runEntry,
  trapResponse,
} from './messages';
import { RejectCode } from './replica-api';
import type { ReplicaState } from './replica-state';
import { ManagementError, type InstallMode } from '../management/management-canister';
import { CanisterInstance, UnknownImportsError } from '../runtime/canister-instance';
import { decompressModule, prepareModule, type PreparedModule } from '../runtime/module';
import { CanisterTrap } from '../runtime/system-api';
import { StorageError } from '../state/store';

export class Installer {
  private readonly preparedCache = new Map<string, PreparedModule>();

  constructor(
    private readonly state: ReplicaState,
    private readonly durability: Durability,
  ) {}

  private cacheKey(hashHex: string): string {
    return `${hashHex}:${this.state.metering}:${this.state.dirtyTracking}`;
  }

  private prepare(wasm: Uint8Array, hashHex: string): PreparedModule {
    const key = this.cacheKey(hashHex);
    let prepared = this.preparedCache.get(key);
    if (!prepared) {
      try {
        prepared = prepareModule(wasm, {
          metering: this.state.metering,
          tracking: this.state.dirtyTracking,
          cacheDir: this.state.preparedCacheDir,
        });
      } catch (err) {
        throw new ManagementError(
          RejectCode.CanisterError,
          'IC0505',
          `Error from Canister: Wasm module is invalid: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      this.preparedCache.set(key, prepared);
    }
    return prepared;
  }

  /** A module installed before, by hash (for loading a snapshot taken with it). */
  preparedModule(hashHex: string): PreparedModule {
    const cached = this.preparedCache.get(this.cacheKey(hashHex));
    if (cached) return cached;
    const store = this.durability.store;
    if (!store) throw new Error(`module ${hashHex} is no longer available`);
    return this.prepare(store.loadModule(hashHex), hashHex);
  }

  /**
   * Install, reinstall or upgrade as one transaction: on any trap the canister keeps its old
   * module, heap, stable memory, certified data and timer.
   */
  performInstall(
    c: Canister,
    rawWasm: Uint8Array,
    mode: InstallMode,
    skipPreUpgrade: boolean,
    arg: Uint8Array,
    sender: Principal,
    restart = false,
    origin: ChangeOrigin = { kind: 'user', userId: sender.toText() },
  ): void {
    const wasm = decompressModule(rawWasm);
    const hash = new Uint8Array(createHash('sha256').update(wasm).digest());
    const hashHex = hex(hash);
    const id = c.id.toText();
    if (mode === 'install' && c.module) {
      throw new ManagementError(
        RejectCode.CanisterError,
        'IC0514',
        `Canister ${id} cannot be installed because the canister is not empty. Try installing with mode='reinstall' instead.`,
      );
    }
    if (mode === 'upgrade' && !c.module && !restart) {
      throw new ManagementError(
        RejectCode.CanisterError,
        'IC0537',
        `Canister ${id} is empty: nothing to upgrade.`,
      );
    }
    const prepared = this.prepare(wasm, hashHex);
    const old = {
      instance: c.instance,
      certifiedData: c.certifiedData,
      globalTimer: c.globalTimer,
    };
    const timeNanos = this.state.timeNanos();
    c.stable.begin();
    const oldInstance = old.instance;
    if (
      mode === 'upgrade' &&
      oldInstance &&
      !skipPreUpgrade &&
      oldInstance.hasExport('canister_pre_upgrade')
    ) {
      const exe = newExecution({ kind: 'pre_upgrade', timeNanos, caller: sender.toUint8Array() });
      const trap = runEntry(
        this.state,
        c,
        exe,
        'canister_pre_upgrade',
        () => oldInstance.invoke('canister_pre_upgrade'),
        this.state.limits.install,
      );
      if (trap) {
        oldInstance.rollback();
        c.stable.rollback();
        c.certifiedData = old.certifiedData;
        c.globalTimer = old.globalTimer;
        throw managementError(trapResponse(c, trap, 'pre_upgrade'));
      }
    }
    const stableBackup =
      mode === 'upgrade' ? undefined : { size: c.stable.size, pages: c.stable.allPages() };
    if (stableBackup) c.stable.reset();
    const restore = (): void => {
      c.instance = oldInstance;
      oldInstance?.rollback();
      if (stableBackup) c.stable.load(stableBackup.size, stableBackup.pages);
      else c.stable.rollback();
      c.certifiedData = old.certifiedData;
      c.globalTimer = old.globalTimer;
    };
    let instance: CanisterInstance;
    try {
      instance = new CanisterInstance(prepared, c);
    } catch (err) {
      restore();
      if (err instanceof UnknownImportsError) {
        throw new ManagementError(
          RejectCode.CanisterError,
          'IC0505',
          `Error from Canister ${id}: ${err.message}`,
        );
      }
      if (err instanceof CanisterTrap) {
        throw managementError(trapResponse(c, err, 'instantiation'));
      }
      throw err;
    }
    c.instance = instance;
    c.globalTimer = 0n;
    if (mode !== 'upgrade') c.certifiedData = new Uint8Array(0);
    const entry = mode === 'upgrade' ? 'canister_post_upgrade' : 'canister_init';
    if (instance.hasExport(entry)) {
      const exe = newExecution({
        kind: mode === 'upgrade' ? 'post_upgrade' : 'init',
        timeNanos,
        arg,
        caller: sender.toUint8Array(),
      });
      const trap = runEntry(
        this.state,
        c,
        exe,
        entry,
        () => instance.invoke(entry),
        this.state.limits.install,
      );
      if (trap) {
        restore();
        throw managementError(trapResponse(c, trap, mode === 'upgrade' ? 'post_upgrade' : 'init'));
      }
    }
    const previous = {
      module: c.module,
      version: c.version,
      installArg: c.installArg,
      installer: c.installer,
    };
    c.module = { hash, prepared, size: wasm.length };
    c.version++;
    c.installArg = arg;
    c.installer = sender;
    if (!restart) {
      c.history.record({
        timestampNanos: timeNanos.toString(),
        canisterVersion: c.version.toString(),
        origin,
        details: { kind: 'code_deployment', mode, moduleHash: hashHex },
      });
    }
    // Module and journal record are written before the install commits, so a full disk
    // leaves the canister exactly as it was.
    const undo = (): void => {
      Object.assign(c, previous);
      restore();
    };
    if (!restart) {
      try {
        this.durability.store?.saveModule(hashHex, wasm);
      } catch (err) {
        if (!(err instanceof StorageError)) throw err;
        undo();
        throw managementError(outOfStorage(err));
      }
    }
    this.durability.persist(c, undo);
    instance.commit();
    c.stable.commit();
    c.stable.markJournaled();
    this.state.restartErrors.delete(id);
  }
}

/**
 * Durability: every committed message is journaled before its outcome is reported, one fsync
 * covers every record written meanwhile (group commit), a record the disk refuses rolls its
 * message back, and checkpoints compact the journal.
 */
import type { Canister } from './canister';
import type { IngressHistory } from './ingress-history';
import { managementError, outOfStorage } from './messages';
import type { ReplicaState } from './replica-state';
import {
  StorageError,
  type CanisterChange,
  type ExecutedRequest,
  type StateStore,
} from '../state/store';

export class Durability {
  private durableWaiters: { at: number; fn: () => void }[] = [];
  private syncScheduled = false;
  private lastStorageReport = 0;
  private checkpointRetryAt = 0;
  /** Journal size when a checkpoint was first due and messages kept executing. */
  private checkpointDueAt = 0;

  constructor(
    private readonly state: ReplicaState,
    readonly store: StateStore | undefined,
    private readonly history: IngressHistory,
    /** Whether messages are executing; checkpoints wait for a quiet moment. */
    private readonly executing: () => boolean,
    private readonly onFatalStorageError: (err: Error) => void,
  ) {}

  /**
   * Journals the canister's changes (including its open transaction) and the ingress request
   * ids they complete. Throws `StorageError` when the disk refuses the record: the caller then
   * rolls the message back, so memory never holds what the disk does not.
   */
  writeRecord(changes: CanisterChange[], requests: ExecutedRequest[] = []): void {
    if (!this.store) return;
    this.store.write({
      timeNanos: this.state.lastTime,
      nextIndex: this.state.nextIndex,
      canisters: changes,
      requests,
    });
    this.scheduleSync();
  }

  /** Makes the canister's open transaction durable, then commits it; rolls back on failure. */
  commitDurably(c: Canister, requests: ExecutedRequest[] = []): StorageError | undefined {
    if (!this.store) {
      c.commit();
      c.stable.markJournaled();
      c.history.markJournaled();
      return undefined;
    }
    try {
      this.writeRecord([this.changeOf(c)], requests);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      c.rollback();
      c.history.discardPending();
      this.reportStorageError(err);
      return err;
    }
    c.commit();
    c.stable.markJournaled();
    c.history.markJournaled();
    return undefined;
  }

  /**
   * Journals a change that was already made in memory (settings, status, install) and undoes
   * it with `undo` when the disk refuses, turning the failure into the management reject.
   */
  persist(c: Canister, undo?: () => void): void {
    if (!this.store) {
      c.stable.markJournaled();
      c.history.markJournaled();
      return;
    }
    try {
      this.writeRecord([this.changeOf(c)]);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      undo?.();
      c.history.discardPending();
      this.reportStorageError(err);
      throw managementError(outOfStorage(err));
    }
    c.stable.markJournaled();
    c.history.markJournaled();
  }

  /** What a record holds of a canister: settings, stable memory writes, history entries. */
  private changeOf(c: Canister): CanisterChange {
    const change: CanisterChange = { meta: c.meta(), stable: c.stable.pendingChanges() };
    const history = c.history.pendingEntries();
    if (history.length > 0) change.history = history;
    return change;
  }

  reportStorageError(err: StorageError): void {
    const now = Date.now();
    // One line per burst: a full disk fails every message until space returns.
    if (now - this.lastStorageReport < 5_000) return;
    this.lastStorageReport = now;
    process.stderr.write(`localnet: ${err.message}; rejecting updates until space returns\n`);
  }

  /** Runs `fn` once everything journaled so far is durable (at once without a state folder). */
  afterDurable(fn: () => void): void {
    const store = this.store;
    if (!store || store.durableBytes >= store.writtenBytes) {
      fn();
      return;
    }
    this.durableWaiters.push({ at: store.writtenBytes, fn });
    this.scheduleSync();
  }

  /** Resolves once everything journaled so far is durable. */
  durable(): Promise<void> {
    return new Promise((resolve) => this.afterDurable(resolve));
  }

  /**
   * Group commit: one fsync covers every record written since the previous one, and runs on
   * the thread pool while the queue keeps executing; outcomes wait for the fsync that covers
   * their record.
   */
  private scheduleSync(): void {
    const store = this.store;
    if (!store || this.syncScheduled || store.busy) return;
    if (store.durableBytes >= store.writtenBytes && !store.wantsCheckpoint) return;
    this.syncScheduled = true;
    setImmediate(() => {
      this.syncScheduled = false;
      if (store.busy) return;
      store.sync().then(
        () => {
          this.maybeCheckpoint();
          this.releaseDurableWaiters();
          this.scheduleSync();
        },
        (err: unknown) => this.fatalStorage(err),
      );
    });
  }

  releaseDurableWaiters(): void {
    const store = this.store;
    if (!store) return;
    const durable = store.durableBytes;
    const ready = this.durableWaiters.filter((w) => w.at <= durable);
    if (ready.length === 0) return;
    this.durableWaiters = this.durableWaiters.filter((w) => w.at > durable);
    for (const w of ready) w.fn();
  }

  /**
   * An fsync failed: records already executed in memory may or may not be on disk, and
   * neither replying nor rejecting would be true. Exiting lets a restart replay exactly what
   * the disk holds, as after `kill -9`.
   */
  private fatalStorage(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `localnet: fatal: ${message}; exiting so that a restart replays what is on disk\n`,
    );
    this.onFatalStorageError(err instanceof Error ? err : new Error(message));
  }

  /**
   * Checkpoints wait for a moment without queued messages, so that a served network does not
   * pause between two messages; under a load that never lets the queue empty (a loader with
   * many calls in flight), one runs between two messages once the journal has doubled since it
   * was due, so the journal and the replay at start-up stay bounded.
   */
  private maybeCheckpoint(): void {
    const store = this.store;
    if (!store || !store.wantsCheckpoint || store.busy) return;
    if (this.executing()) {
      if (this.checkpointDueAt === 0) this.checkpointDueAt = store.journalSize;
      if (store.journalSize < 2 * this.checkpointDueAt) return;
    }
    if (Date.now() < this.checkpointRetryAt) return;
    this.checkpointDueAt = 0;
    try {
      this.checkpoint();
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      // The journal still holds everything; try again later.
      this.checkpointRetryAt = Date.now() + 60_000;
      this.reportStorageError(err);
    }
  }

  checkpoint(): void {
    const store = this.store;
    if (!store) return;
    store.syncNow();
    store.checkpoint({
      timeNanos: this.state.lastTime,
      nextIndex: this.state.nextIndex,
      canisters: [...this.state.canisters.values()].map((c) => ({
        meta: c.meta(),
        stableSizePages: c.stable.size,
        pages: c.stable.allPages(),
        history: { total: c.history.total, recent: c.history.recent },
      })),
      requests: this.history.liveRequestIds(),
    });
    for (const c of this.state.canisters.values()) {
      c.stable.markJournaled();
      c.history.markJournaled();
    }
  }
}

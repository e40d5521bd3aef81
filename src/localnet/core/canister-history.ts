/**
 * Canister history, as `canister_info` reports it: every creation, code deployment,
 * uninstall, controllers change and snapshot load, with the time, the canister version after
 * the change and who made it. The IC keeps the 20 most recent changes and the total count.
 *
 * Entries are kept in their JSON form, the one the journal and checkpoints store, so a change
 * costs one small object in the record of the message that made it.
 */

/** Who made a change: a user (ingress) or a canister, with its version when it said it. */
export type ChangeOrigin =
  | { kind: 'user'; userId: string }
  | { kind: 'canister'; canisterId: string; canisterVersion?: string };

export type ChangeDetails =
  | { kind: 'creation'; controllers: string[] }
  | { kind: 'code_uninstall' }
  | { kind: 'code_deployment'; mode: 'install' | 'reinstall' | 'upgrade'; moduleHash: string }
  | { kind: 'controllers_change'; controllers: string[] }
  | { kind: 'load_snapshot'; canisterVersion: string; snapshotId: string; takenAtNanos: string };

export interface ChangeEntry {
  timestampNanos: string;
  canisterVersion: string;
  origin: ChangeOrigin;
  details: ChangeDetails;
}

/** How many recent changes the IC keeps per canister. */
export const MAX_RECENT_CHANGES = 20;

export class CanisterHistory {
  private entries: ChangeEntry[] = [];
  private count = 0n;
  /** Entries not yet in the journal: the record of the message that made them carries them. */
  private pending: ChangeEntry[] = [];

  get total(): bigint {
    return this.count;
  }

  /** Oldest first, at most `MAX_RECENT_CHANGES`. */
  get recent(): readonly ChangeEntry[] {
    return this.entries;
  }

  record(entry: ChangeEntry): void {
    this.apply([entry]);
    this.pending.push(entry);
  }

  /** Adds entries read back from the journal or a checkpoint (nothing becomes pending). */
  apply(entries: readonly ChangeEntry[]): void {
    for (const e of entries) {
      this.entries.push(e);
      this.count++;
    }
    if (this.entries.length > MAX_RECENT_CHANGES) {
      this.entries = this.entries.slice(-MAX_RECENT_CHANGES);
    }
  }

  /** Restores the state a checkpoint saved. */
  load(total: bigint, recent: readonly ChangeEntry[]): void {
    this.entries = recent.slice(-MAX_RECENT_CHANGES);
    this.count = total;
    this.pending = [];
  }

  /** What the next journal record must carry. */
  pendingEntries(): ChangeEntry[] {
    return this.pending;
  }

  markJournaled(): void {
    this.pending = [];
  }

  /** The disk refused the record: the changes it carried did not happen. */
  discardPending(): void {
    const n = this.pending.length;
    if (n === 0) return;
    this.entries = this.entries.slice(0, this.entries.length - n);
    this.count -= BigInt(n);
    this.pending = [];
  }
}

/**
 * The management canister's methods over a canister's past: `canister_info` (its recent
 * changes, module hash and controllers; callable by canisters only, as on the IC) and the
 * snapshot methods. Candid in and out here; the replica core does the work.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { CanisterInfoResult, Snapshot } from './candid';
import type { ChangeDetails, ChangeEntry, ChangeOrigin } from '../core/canister-history';
import type { SnapshotInfo } from '../core/snapshots';

/** Whether a management call came in as ingress or from a canister. */
export type ManagementCaller = 'ingress' | 'canister';

/** Methods the IC refuses in ingress messages: only canisters may call them. */
export const CANISTER_ONLY_METHODS = new Set(['canister_info']);

export function originOf(
  sender: Principal,
  caller: ManagementCaller,
  senderCanisterVersion: [] | [bigint] = [],
): ChangeOrigin {
  if (caller === 'ingress') return { kind: 'user', userId: sender.toText() };
  const origin: ChangeOrigin = { kind: 'canister', canisterId: sender.toText() };
  const version = senderCanisterVersion[0];
  if (version !== undefined) origin.canisterVersion = version.toString();
  return origin;
}

const bytes = (hexText: string): Uint8Array => new Uint8Array(Buffer.from(hexText, 'hex'));
const principals = (texts: string[]): Principal[] => texts.map((t) => Principal.fromText(t));

function detailsCandid(d: ChangeDetails): Record<string, unknown> {
  switch (d.kind) {
    case 'creation':
      return {
        creation: { controllers: principals(d.controllers), environment_variables_hash: [] },
      };
    case 'code_uninstall':
      return { code_uninstall: null };
    case 'code_deployment':
      return { code_deployment: { mode: { [d.mode]: null }, module_hash: bytes(d.moduleHash) } };
    case 'controllers_change':
      return { controllers_change: { controllers: principals(d.controllers) } };
    case 'load_snapshot':
      return {
        load_snapshot: {
          canister_version: BigInt(d.canisterVersion),
          snapshot_id: bytes(d.snapshotId),
          taken_at_timestamp: BigInt(d.takenAtNanos),
        },
      };
  }
}

function changeCandid(e: ChangeEntry): unknown {
  const o = e.origin;
  return {
    timestamp_nanos: BigInt(e.timestampNanos),
    canister_version: BigInt(e.canisterVersion),
    origin:
      o.kind === 'user'
        ? { from_user: { user_id: Principal.fromText(o.userId) } }
        : {
            from_canister: {
              canister_id: Principal.fromText(o.canisterId),
              canister_version: o.canisterVersion === undefined ? [] : [BigInt(o.canisterVersion)],
            },
          },
    details: detailsCandid(e.details),
  };
}

/** `canister_info`: the last `requested` changes (none unless asked), oldest first. */
export function encodeCanisterInfo(
  view: {
    history: { total: bigint; recent: readonly ChangeEntry[] };
    moduleHash: Uint8Array | undefined;
    controllers: Principal[];
  },
  requested: [] | [bigint],
): Uint8Array {
  const n = Number(requested[0] ?? 0n);
  const recent = view.history.recent;
  const changes = n === 0 ? [] : recent.slice(Math.max(0, recent.length - n));
  return new Uint8Array(
    IDL.encode(
      [CanisterInfoResult],
      [
        {
          total_num_changes: view.history.total,
          recent_changes: changes.map(changeCandid),
          module_hash: view.moduleHash ? [view.moduleHash] : [],
          controllers: view.controllers,
        },
      ],
    ),
  );
}

const snapshotCandid = (s: SnapshotInfo): unknown => ({
  id: s.id,
  taken_at_timestamp: s.takenAtNanos,
  total_size: s.totalSize,
});

export const encodeSnapshot = (s: SnapshotInfo): Uint8Array =>
  new Uint8Array(IDL.encode([Snapshot], [snapshotCandid(s)]));

export const encodeSnapshotList = (list: SnapshotInfo[]): Uint8Array =>
  new Uint8Array(IDL.encode([IDL.Vec(Snapshot)], [list.map(snapshotCandid)]));

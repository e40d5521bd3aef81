/**
 * Candid types of the management canister methods localnet implements, as in the
 * interface specification's `ic.did`. Records decode with subtyping, so clients that send
 * fields added later in the spec (e.g. new settings) still decode.
 */
import { IDL } from '@dfinity/candid';

export const LogVisibility = IDL.Variant({
  controllers: IDL.Null,
  public: IDL.Null,
  allowed_viewers: IDL.Vec(IDL.Principal),
});

export const CanisterSettings = IDL.Record({
  controllers: IDL.Opt(IDL.Vec(IDL.Principal)),
  compute_allocation: IDL.Opt(IDL.Nat),
  memory_allocation: IDL.Opt(IDL.Nat),
  freezing_threshold: IDL.Opt(IDL.Nat),
  reserved_cycles_limit: IDL.Opt(IDL.Nat),
  log_visibility: IDL.Opt(LogVisibility),
  wasm_memory_limit: IDL.Opt(IDL.Nat),
});

export const DefiniteCanisterSettings = IDL.Record({
  controllers: IDL.Vec(IDL.Principal),
  compute_allocation: IDL.Nat,
  memory_allocation: IDL.Nat,
  freezing_threshold: IDL.Nat,
  reserved_cycles_limit: IDL.Nat,
  log_visibility: LogVisibility,
  wasm_memory_limit: IDL.Nat,
  wasm_memory_threshold: IDL.Nat,
  environment_variables: IDL.Vec(IDL.Record({ name: IDL.Text, value: IDL.Text })),
  // Newer than the published ic.did; icp-cli's management types (ic-management-canister-types
  // 0.8) require them.
  log_memory_limit: IDL.Nat,
  snapshot_visibility: LogVisibility,
  status_visibility: LogVisibility,
  minimum_incoming_canister_call_cycles: IDL.Nat,
});

export const CanisterIdRecord = IDL.Record({ canister_id: IDL.Principal });

export const ProvisionalCreateArgs = IDL.Record({
  amount: IDL.Opt(IDL.Nat),
  settings: IDL.Opt(CanisterSettings),
  specified_id: IDL.Opt(IDL.Principal),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const CreateCanisterArgs = IDL.Record({
  settings: IDL.Opt(CanisterSettings),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const UpgradeFlags = IDL.Record({
  skip_pre_upgrade: IDL.Opt(IDL.Bool),
  wasm_memory_persistence: IDL.Opt(IDL.Variant({ keep: IDL.Null, replace: IDL.Null })),
});

export const InstallMode = IDL.Variant({
  install: IDL.Null,
  reinstall: IDL.Null,
  upgrade: IDL.Opt(UpgradeFlags),
});

export const InstallCodeArgs = IDL.Record({
  mode: InstallMode,
  canister_id: IDL.Principal,
  wasm_module: IDL.Vec(IDL.Nat8),
  arg: IDL.Vec(IDL.Nat8),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const ChunkHash = IDL.Record({ hash: IDL.Vec(IDL.Nat8) });

export const UploadChunkArgs = IDL.Record({
  canister_id: IDL.Principal,
  chunk: IDL.Vec(IDL.Nat8),
});

export const InstallChunkedCodeArgs = IDL.Record({
  mode: InstallMode,
  target_canister: IDL.Principal,
  store_canister: IDL.Opt(IDL.Principal),
  chunk_hashes_list: IDL.Vec(ChunkHash),
  wasm_module_hash: IDL.Vec(IDL.Nat8),
  arg: IDL.Vec(IDL.Nat8),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const UpdateSettingsArgs = IDL.Record({
  canister_id: IDL.Principal,
  settings: CanisterSettings,
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const MemoryMetrics = IDL.Record({
  wasm_memory_size: IDL.Nat,
  stable_memory_size: IDL.Nat,
  global_memory_size: IDL.Nat,
  wasm_binary_size: IDL.Nat,
  custom_sections_size: IDL.Nat,
  canister_history_size: IDL.Nat,
  wasm_chunk_store_size: IDL.Nat,
  snapshots_size: IDL.Nat,
  // Newer than the published ic.did; icp-cli's management types require it.
  log_memory_store_size: IDL.Nat,
});

export const CanisterStatusResult = IDL.Record({
  status: IDL.Variant({ running: IDL.Null, stopping: IDL.Null, stopped: IDL.Null }),
  ready_for_migration: IDL.Bool,
  version: IDL.Nat64,
  settings: DefiniteCanisterSettings,
  module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  memory_size: IDL.Nat,
  memory_metrics: MemoryMetrics,
  cycles: IDL.Nat,
  reserved_cycles: IDL.Nat,
  idle_cycles_burned_per_day: IDL.Nat,
  query_stats: IDL.Record({
    num_calls_total: IDL.Nat,
    num_instructions_total: IDL.Nat,
    request_payload_bytes_total: IDL.Nat,
    response_payload_bytes_total: IDL.Nat,
  }),
});

export type InstallModeValue =
  | { install: null }
  | { reinstall: null }
  | { upgrade: [] | [{ skip_pre_upgrade: [] | [boolean] }] };

export interface SettingsValue {
  controllers: [] | [import('@dfinity/principal').Principal[]];
}

export const UninstallCodeArgs = IDL.Record({
  canister_id: IDL.Principal,
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const ProvisionalTopUpArgs = IDL.Record({
  canister_id: IDL.Principal,
  amount: IDL.Nat,
});

export const FetchCanisterLogsResult = IDL.Record({
  canister_log_records: IDL.Vec(
    IDL.Record({ idx: IDL.Nat64, timestamp_nanos: IDL.Nat64, content: IDL.Vec(IDL.Nat8) }),
  ),
});

export const Snapshot = IDL.Record({
  id: IDL.Vec(IDL.Nat8),
  taken_at_timestamp: IDL.Nat64,
  total_size: IDL.Nat64,
});

export const TakeCanisterSnapshotArgs = IDL.Record({
  canister_id: IDL.Principal,
  replace_snapshot: IDL.Opt(IDL.Vec(IDL.Nat8)),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const LoadCanisterSnapshotArgs = IDL.Record({
  canister_id: IDL.Principal,
  snapshot_id: IDL.Vec(IDL.Nat8),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const DeleteCanisterSnapshotArgs = IDL.Record({
  canister_id: IDL.Principal,
  snapshot_id: IDL.Vec(IDL.Nat8),
});

export const CanisterInfoArgs = IDL.Record({
  canister_id: IDL.Principal,
  num_requested_changes: IDL.Opt(IDL.Nat64),
});

export const ChangeOrigin = IDL.Variant({
  from_user: IDL.Record({ user_id: IDL.Principal }),
  from_canister: IDL.Record({ canister_id: IDL.Principal, canister_version: IDL.Opt(IDL.Nat64) }),
});

export const ChangeDetails = IDL.Variant({
  creation: IDL.Record({
    controllers: IDL.Vec(IDL.Principal),
    environment_variables_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  }),
  code_uninstall: IDL.Null,
  code_deployment: IDL.Record({
    mode: IDL.Variant({ install: IDL.Null, reinstall: IDL.Null, upgrade: IDL.Null }),
    module_hash: IDL.Vec(IDL.Nat8),
  }),
  load_snapshot: IDL.Record({
    canister_version: IDL.Nat64,
    snapshot_id: IDL.Vec(IDL.Nat8),
    taken_at_timestamp: IDL.Nat64,
  }),
  controllers_change: IDL.Record({ controllers: IDL.Vec(IDL.Principal) }),
});

export const CanisterInfoResult = IDL.Record({
  total_num_changes: IDL.Nat64,
  recent_changes: IDL.Vec(
    IDL.Record({
      timestamp_nanos: IDL.Nat64,
      canister_version: IDL.Nat64,
      origin: ChangeOrigin,
      details: ChangeDetails,
    }),
  ),
  module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  controllers: IDL.Vec(IDL.Principal),
});

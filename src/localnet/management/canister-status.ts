/**
 * `canister_status` as the current interface specification describes it. Settings localnet
 * does not model are reported at the IC's defaults.
 */
import { IDL } from '@dfinity/candid';
import { CanisterStatusResult } from './candid';
import type { ManagementCanisterView } from './management-canister';

export function encodeCanisterStatus(c: ManagementCanisterView, snapshotsSize: bigint): Uint8Array {
  const memory = c.memoryMetrics();
  return new Uint8Array(
    IDL.encode(
      [CanisterStatusResult],
      [
        {
          status: { [c.status]: null },
          ready_for_migration: false,
          version: c.version,
          settings: {
            controllers: c.controllers,
            compute_allocation: 0n,
            memory_allocation: 0n,
            freezing_threshold: 2_592_000n,
            reserved_cycles_limit: 5_000_000_000_000n,
            log_visibility: { controllers: null },
            wasm_memory_limit: 3n * 2n ** 30n,
            wasm_memory_threshold: 0n,
            environment_variables: [],
            log_memory_limit: 4096n,
            snapshot_visibility: { controllers: null },
            status_visibility: { controllers: null },
            minimum_incoming_canister_call_cycles: 0n,
          },
          module_hash: c.moduleHash ? [c.moduleHash] : [],
          memory_size: c.memorySize,
          memory_metrics: {
            wasm_memory_size: memory.wasmMemory,
            stable_memory_size: memory.stableMemory,
            // Mutable globals live in the instance; their few bytes are not counted apart.
            global_memory_size: 0n,
            wasm_binary_size: memory.wasmBinary,
            custom_sections_size: memory.customSections,
            canister_history_size: 0n,
            wasm_chunk_store_size: memory.chunkStore,
            snapshots_size: snapshotsSize,
            log_memory_store_size: 0n,
          },
          cycles: c.cyclesBalance,
          reserved_cycles: 0n,
          idle_cycles_burned_per_day: 0n,
          query_stats: {
            num_calls_total: c.queryStats.calls,
            num_instructions_total: c.queryStats.instructions,
            request_payload_bytes_total: c.queryStats.requestBytes,
            response_payload_bytes_total: c.queryStats.responseBytes,
          },
        },
      ],
    ),
  );
}

/**
 * Canister snapshots and query stats through the HTTP interface with the unmodified
 * `@dfinity/agent`: the management canister's candid (written out from the interface
 * specification), effective canister ids in the URL, certified replies.
 */
import { Actor, HttpAgent, type ActorSubclass } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalReplica } from '../../../../src/localnet/core/replica';
import { startLocalnetServer, type LocalnetServer } from '../../../../src/localnet/http/server';
import { decodeRead, fixtureWasm } from '../fixtures/wat-fixture';
import { openReplica } from '../fixtures/harness';

const identity = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(7));

const managementIdl: IDL.InterfaceFactory = ({ IDL: I }) => {
  const snapshot = I.Record({
    id: I.Vec(I.Nat8),
    taken_at_timestamp: I.Nat64,
    total_size: I.Nat64,
  });
  const idRecord = I.Record({ canister_id: I.Principal });
  return I.Service({
    take_canister_snapshot: I.Func(
      [I.Record({ canister_id: I.Principal, replace_snapshot: I.Opt(I.Vec(I.Nat8)) })],
      [snapshot],
      [],
    ),
    load_canister_snapshot: I.Func(
      [
        I.Record({
          canister_id: I.Principal,
          snapshot_id: I.Vec(I.Nat8),
          sender_canister_version: I.Opt(I.Nat64),
        }),
      ],
      [],
      [],
    ),
    list_canister_snapshots: I.Func([idRecord], [I.Vec(snapshot)], []),
    delete_canister_snapshot: I.Func(
      [I.Record({ canister_id: I.Principal, snapshot_id: I.Vec(I.Nat8) })],
      [],
      [],
    ),
    canister_status: I.Func(
      [idRecord],
      [
        I.Record({
          query_stats: I.Record({
            num_calls_total: I.Nat,
            num_instructions_total: I.Nat,
            request_payload_bytes_total: I.Nat,
            response_payload_bytes_total: I.Nat,
          }),
          memory_metrics: I.Record({ snapshots_size: I.Nat }),
        }),
      ],
      [],
    ),
  });
};

interface Snapshot {
  id: Uint8Array;
  taken_at_timestamp: bigint;
  total_size: bigint;
}
interface Management {
  take_canister_snapshot(a: { canister_id: Principal; replace_snapshot: [] }): Promise<Snapshot>;
  load_canister_snapshot(a: {
    canister_id: Principal;
    snapshot_id: Uint8Array;
    sender_canister_version: [];
  }): Promise<void>;
  list_canister_snapshots(a: { canister_id: Principal }): Promise<Snapshot[]>;
  delete_canister_snapshot(a: { canister_id: Principal; snapshot_id: Uint8Array }): Promise<void>;
  canister_status(a: { canister_id: Principal }): Promise<{
    query_stats: Record<string, bigint>;
    memory_metrics: { snapshots_size: bigint };
  }>;
}

let stateDir: string;
let replica: LocalReplica;
let server: LocalnetServer;
let agent: HttpAgent;
let canister: Principal;
let management: ActorSubclass<Management>;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'localnet-mgmt-agent-'));
  replica = await openReplica({ stateDir: join(stateDir, 'replica') });
  server = await startLocalnetServer({ replica, stateDir, port: 0, internetIdentity: false });
  canister = replica.createCanister({ controllers: [identity.getPrincipal()] });
  await replica.installCode({ canisterId: canister, wasm: fixtureWasm() });
  agent = await HttpAgent.create({ host: server.url, identity, shouldFetchRootKey: true });
  management = Actor.createActor<Management>(managementIdl, {
    agent,
    canisterId: Principal.managementCanister(),
    effectiveCanisterId: canister,
  });
  // Deriving the network's BLS key and verifying certificates in JS take seconds when busy.
}, 60_000);

afterAll(async () => {
  await server?.close();
  await replica?.shutdown();
  rmSync(stateDir, { recursive: true, force: true });
});

const counter = async (): Promise<bigint> => {
  const reply = await agent.query(canister, { methodName: 'read', arg: new Uint8Array(0) });
  if (reply.status !== 'replied') throw new Error(`read was rejected: ${reply.reject_message}`);
  return decodeRead(new Uint8Array(reply.reply.arg)).counter;
};

const inc = async (): Promise<void> => {
  await agent.call(canister, { methodName: 'inc', arg: new Uint8Array(0) });
  await replica.idle();
};

describe('management canister through @dfinity/agent', { timeout: 60_000 }, () => {
  it('takes, lists, loads and deletes a snapshot', async () => {
    await inc();
    const snapshot = await management.take_canister_snapshot({
      canister_id: canister,
      replace_snapshot: [],
    });
    await inc();
    await inc();
    expect(await counter()).toBe(3n);
    const listed = await management.list_canister_snapshots({ canister_id: canister });
    expect(listed.map((s) => Principal.fromUint8Array(s.id.slice(8)).toText())).toEqual([
      canister.toText(),
    ]);
    await management.load_canister_snapshot({
      canister_id: canister,
      snapshot_id: snapshot.id,
      sender_canister_version: [],
    });
    expect(await counter()).toBe(1n);
    const status = await management.canister_status({ canister_id: canister });
    expect(status.memory_metrics.snapshots_size).toBe(snapshot.total_size);
    await management.delete_canister_snapshot({ canister_id: canister, snapshot_id: snapshot.id });
    expect(await management.list_canister_snapshots({ canister_id: canister })).toEqual([]);
  });

  it('reports the queries it answered in canister_status', async () => {
    const before = (await management.canister_status({ canister_id: canister })).query_stats;
    await counter();
    await counter();
    const after = (await management.canister_status({ canister_id: canister })).query_stats;
    expect((after.num_calls_total ?? 0n) - (before.num_calls_total ?? 0n)).toBe(2n);
    // `read` answers 64 bytes each time.
    expect(
      (after.response_payload_bytes_total ?? 0n) - (before.response_payload_bytes_total ?? 0n),
    ).toBe(128n);
  });
});

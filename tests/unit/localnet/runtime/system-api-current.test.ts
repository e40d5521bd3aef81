/**
 * System API imports of the current interface specification: implemented where localnet can
 * answer them truthfully (deadlines, environment variables, costs, the subnet's id and root
 * key), and refused at install, by name, where it cannot (minting cycles is for the CMC).
 */
import { Principal } from '@dfinity/principal';
import binaryen from 'binaryen';
import { describe, expect, it, vi } from 'vitest';
import { ALICE, openReplica, replyOf, update } from '../fixtures/harness';

const WAT = String.raw`
(module
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "msg_reply_data_append" (func $append (param i32 i32)))
  (import "ic0" "msg_deadline" (func $deadline (result i64)))
  (import "ic0" "env_var_count" (func $env_count (result i32)))
  (import "ic0" "env_var_name_exists" (func $env_exists (param i32 i32) (result i32)))
  (import "ic0" "cost_create_canister" (func $cost_create (param i32)))
  (import "ic0" "cost_http_request" (func $cost_http (param i64 i64 i32)))
  (import "ic0" "cost_sign_with_ecdsa" (func $cost_ecdsa (param i32 i32 i32 i32) (result i32)))
  (import "ic0" "cost_sign_with_schnorr" (func $cost_schnorr (param i32 i32 i32 i32) (result i32)))
  (import "ic0" "cost_vetkd_derive_key" (func $cost_vetkd (param i32 i32 i32 i32) (result i32)))
  (import "ic0" "subnet_self_size" (func $subnet_size (result i32)))
  (import "ic0" "subnet_self_copy" (func $subnet_copy (param i32 i32 i32)))
  (import "ic0" "root_key_size" (func $root_size (result i32)))
  (import "ic0" "root_key_copy" (func $root_copy (param i32 i32 i32)))
  (memory 1)
  (data (i32.const 900) "PATH")
  ;; reply: deadline i64 | env count i32 | env exists i32 | create cost u128 | http cost u128 |
  ;;        ecdsa/schnorr/vetkd results i32 x3 | subnet id size i32 | root key size i32 |
  ;;        subnet id bytes | root key bytes
  (func (export "canister_update probe")
    (i64.store (i32.const 0) (call $deadline))
    (i32.store (i32.const 8) (call $env_count))
    (i32.store (i32.const 12) (call $env_exists (i32.const 900) (i32.const 4)))
    (call $cost_create (i32.const 16))
    (call $cost_http (i64.const 100) (i64.const 2000) (i32.const 32))
    (i32.store (i32.const 48) (call $cost_ecdsa (i32.const 900) (i32.const 4) (i32.const 0) (i32.const 1000)))
    (i32.store (i32.const 52) (call $cost_schnorr (i32.const 900) (i32.const 4) (i32.const 0) (i32.const 1000)))
    (i32.store (i32.const 56) (call $cost_vetkd (i32.const 900) (i32.const 4) (i32.const 0) (i32.const 1000)))
    (i32.store (i32.const 60) (call $subnet_size))
    (i32.store (i32.const 64) (call $root_size))
    (call $subnet_copy (i32.const 68) (i32.const 0) (call $subnet_size))
    (call $root_copy (i32.add (i32.const 68) (call $subnet_size)) (i32.const 0) (call $root_size))
    (call $append (i32.const 0) (i32.add (i32.add (i32.const 68) (call $subnet_size)) (call $root_size)))
    (call $reply)))`;

const MINT_WAT = String.raw`
(module
  (import "ic0" "mint_cycles128" (func $mint (param i64 i64 i32)))
  (memory 1)
  (func (export "canister_init")))`;

function compile(text: string): Uint8Array {
  const mod = binaryen.parseText(text);
  try {
    if (!mod.validate()) throw new Error('module does not validate');
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

const SUBNET = Principal.fromText(
  '4zbus-z2bmt-ilreg-xakz4-6tyre-hsqj4-slb4g-zjwqo-snjcc-iqphi-3qe',
);
const ROOT_KEY = new Uint8Array(133).fill(7);

describe('current system API imports', () => {
  it('implements msg_deadline, env_var_*, cost_*, subnet_self_* and root_key_*', async () => {
    const replica = await openReplica({ network: { subnetId: SUBNET, rootKeyDer: ROOT_KEY } });
    const id = replica.createCanister({ controllers: [ALICE] });
    await replica.installCode({ canisterId: id, wasm: compile(WAT) });
    const out = replyOf(await update(replica, id, 'probe'));
    const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const u128 = (at: number) => v.getBigUint64(at, true) | (v.getBigUint64(at + 8, true) << 64n);
    // Ingress and guaranteed-response calls have no deadline.
    expect(v.getBigUint64(0, true)).toBe(0n);
    expect(v.getInt32(8, true)).toBe(0);
    expect(v.getInt32(12, true)).toBe(0);
    // A 13-node application subnet's fees.
    expect(u128(16)).toBe(500_000_000_000n);
    expect(u128(32)).toBe(49_140_000n + 5_200n * 100n + 10_400n * 2_000n);
    // No threshold keys on localnet: "unknown key name".
    expect([v.getInt32(48, true), v.getInt32(52, true), v.getInt32(56, true)]).toEqual([2, 2, 2]);
    const subnetSize = v.getInt32(60, true);
    const rootSize = v.getInt32(64, true);
    expect(Principal.fromUint8Array(out.slice(68, 68 + subnetSize)).toText()).toBe(SUBNET.toText());
    expect(out.slice(68 + subnetSize, 68 + subnetSize + rootSize)).toEqual(ROOT_KEY);
    await replica.shutdown();
  });

  it('refuses at install a module importing what localnet does not provide, naming it', async () => {
    const replica = await openReplica();
    const id = replica.createCanister({ controllers: [ALICE] });
    await expect(replica.installCode({ canisterId: id, wasm: compile(MINT_WAT) })).rejects.toThrow(
      /ic0\.mint_cycles128/,
    );
    await replica.shutdown();
  });
});

describe('data certificates in queries', () => {
  it('are made only for queries that read them', async () => {
    const { installFixture, query } = await import('../fixtures/harness');
    const provider = vi.fn(() => new Uint8Array([1]));
    const replica = await openReplica({ dataCertificateProvider: provider });
    const id = await installFixture(replica);
    replyOf(await query(replica, id, 'read'));
    replyOf(await query(replica, id, 'whoami'));
    expect(provider).not.toHaveBeenCalled();
    await replica.shutdown();
  });
});

/**
 * Canisters created without a specified id get ids from an application subnet's range, as on
 * dfx's local network, so the well-known ids of system canisters (NNS registry, governance,
 * ledger, cycles minting, Internet Identity) stay free for whoever installs them.
 */
import { Principal } from '@dfinity/principal';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_SUBNET_RANGE, indexOfCanisterId } from '../../../../src/localnet/core/ids';
import { ALICE, openReplica } from '../fixtures/harness';

const SYSTEM_IDS = [
  'rwlgt-iiaaa-aaaaa-aaaaa-cai', // NNS registry
  'rrkah-fqaaa-aaaaa-aaaaq-cai', // NNS governance
  'ryjl3-tyaaa-aaaaa-aaaba-cai', // ICP ledger
  'rkp4c-7iaaa-aaaaa-aaaca-cai', // cycles minting
  'rdmx6-jaaaa-aaaaa-aaadq-cai', // Internet Identity
];

describe('canister id allocation', () => {
  it('hands out ids from the application subnet range and leaves system ids free', async () => {
    const replica = await openReplica();
    const first = await replica.provisionalCreate(ALICE);
    expect(first.toText()).toBe('bnz7o-iuaaa-aaaaa-qaaaa-cai');
    const ids = [first];
    for (let i = 0; i < 5; i++) ids.push(await replica.provisionalCreate(ALICE));
    for (const id of ids) {
      const index = indexOfCanisterId(id) as bigint;
      expect(index >= APPLICATION_SUBNET_RANGE.start && index <= APPLICATION_SUBNET_RANGE.end).toBe(
        true,
      );
      expect(SYSTEM_IDS).not.toContain(id.toText());
    }
    for (const text of SYSTEM_IDS) {
      const system = Principal.fromText(text);
      expect((await replica.provisionalCreate(ALICE, system)).toText()).toBe(text);
    }
  });

  it('skips ids created with specified ids and continues there after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localnet-ids-'));
    try {
      let replica = await openReplica({ stateDir: dir });
      const backend = Principal.fromText('bkyz2-fmaaa-aaaaa-qaaaq-cai');
      await replica.provisionalCreate(ALICE, backend);
      const a = await replica.provisionalCreate(ALICE);
      const b = await replica.provisionalCreate(ALICE);
      expect(a.toText()).toBe('bnz7o-iuaaa-aaaaa-qaaaa-cai');
      expect(b.toText()).toBe('bd3sg-teaaa-aaaaa-qaaba-cai');
      await replica.shutdown();
      replica = await openReplica({ stateDir: dir });
      const c = await replica.provisionalCreate(ALICE);
      expect(indexOfCanisterId(c)).toBe((indexOfCanisterId(b) as bigint) + 1n);
      await replica.shutdown();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

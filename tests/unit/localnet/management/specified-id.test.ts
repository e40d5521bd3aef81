/**
 * `provisional_create_canister_with_cycles` with a `specified_id` that is taken fails as on
 * the IC (CanisterAlreadyExists, IC0538), including ids localnet serves without a canister in
 * the replica (the Internet Identity stand-in).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';
import { ProvisionalCreateArgs } from '../../../../src/localnet/management/candid';
import { ALICE, installFixture, openReplica } from '../fixtures/harness';

const II = Principal.fromText('rdmx6-jaaaa-aaaaa-aaadq-cai');

describe('specified canister ids', () => {
  it('refuses an id that already has a canister', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    await expect(replica.provisionalCreate(ALICE, id)).rejects.toThrow(
      `Canister ${id.toText()} is already installed.`,
    );
    const outcome = await replica.callManagement(
      'provisional_create_canister_with_cycles',
      new Uint8Array(
        IDL.encode(
          [ProvisionalCreateArgs],
          [{ amount: [], settings: [], specified_id: [id], sender_canister_version: [] }],
        ),
      ),
      ALICE,
    );
    expect(outcome).toMatchObject({ kind: 'rejected', rejectCode: 5, errorCode: 'IC0538' });
  });

  it('refuses a reserved id, and never hands it out', async () => {
    const replica = await openReplica({ reservedCanisterIds: [II] });
    await expect(replica.provisionalCreate(ALICE, II)).rejects.toThrow('is already installed');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await replica.provisionalCreate(ALICE)).toText());
    expect(ids).not.toContain(II.toText());
  });
});

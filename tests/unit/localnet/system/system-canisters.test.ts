/**
 * The system canisters as a client sees them through the replica: ICRC-1 and legacy ICP
 * transfers, cycles minted from ICP exactly once per block, canisters paid for from the cycles
 * ledger — and the durability contract: an acknowledged transfer survives a crash, and a
 * transfer the disk refused leaves every balance as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalReplica } from '../../../../src/localnet/core/replica';
import type { CallOutcome } from '../../../../src/localnet/core/replica-api';
import { nodeIo, type StorageIo } from '../../../../src/localnet/state/store';
import { accountIdentifier, principalSubaccount } from '../../../../src/localnet/system/accounts';
import {
  NotifyMintCyclesArg,
  NotifyMintCyclesResult,
} from '../../../../src/localnet/system/cmc-candid';
import {
  CYCLES_LEDGER_ID,
  CYCLES_MINTING_CANISTER_ID,
  ICP_LEDGER_ID,
} from '../../../../src/localnet/system/ids';
import {
  Account,
  CreateCanisterArgs,
  CreateCanisterResult,
  LegacyTransferArgs,
  LegacyTransferResult,
  TransferArg,
  TransferResult,
} from '../../../../src/localnet/system/ledger-candid';
import {
  ANONYMOUS_GENESIS,
  IDENTITY_FUNDING,
} from '../../../../src/localnet/system/system-canisters';

const alice = Principal.selfAuthenticating(new Uint8Array(32).fill(1));
const bob = Principal.selfAuthenticating(new Uint8Array(32).fill(2));
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'localnet-system-'));
  dirs.push(dir);
  return dir;
}

function encode(type: IDL.Type, value: unknown): Uint8Array {
  return new Uint8Array(IDL.encode([type], [value]));
}

function replied(outcome: CallOutcome, type: IDL.Type): unknown {
  if (outcome.kind !== 'replied') throw new Error(`rejected: ${outcome.rejectMessage}`);
  return IDL.decode([type], outcome.reply)[0];
}

async function balance(
  replica: LocalReplica,
  ledger: Principal,
  owner: Principal,
): Promise<bigint> {
  const outcome = await replica.query({
    requestId: new Uint8Array(32),
    sender: Principal.anonymous(),
    canisterId: ledger,
    effectiveCanisterId: ledger,
    methodName: 'icrc1_balance_of',
    arg: encode(Account, { owner, subaccount: [] }),
  });
  return replied(outcome, IDL.Nat) as bigint;
}

function icrcTransfer(to: Principal, amount: bigint): Uint8Array {
  return encode(TransferArg, {
    from_subaccount: [],
    to: { owner: to, subaccount: [] },
    amount,
    fee: [],
    memo: [],
    created_at_time: [],
  });
}

describe('system canisters', () => {
  it('start with the anonymous principal holding the genesis balances', async () => {
    const replica = await LocalReplica.open({ systemCanisters: true });
    expect(await balance(replica, ICP_LEDGER_ID, Principal.anonymous())).toBe(
      ANONYMOUS_GENESIS.icpE8s,
    );
    expect(await balance(replica, CYCLES_LEDGER_ID, Principal.anonymous())).toBe(
      ANONYMOUS_GENESIS.cycles,
    );
    await replica.shutdown();
  });

  it('keep an acknowledged transfer through a crash, and fund each identity once', async () => {
    const dir = stateDir();
    const first = await LocalReplica.open({ stateDir: dir, systemCanisters: true });
    expect(first.system?.fund([alice]).map((p) => p.toText())).toEqual([alice.toText()]);
    const sent = await first.update(
      ICP_LEDGER_ID,
      'icrc1_transfer',
      icrcTransfer(bob, 123n),
      alice,
    );
    expect(replied(sent, TransferResult)).toEqual({ Ok: 2n }); // after genesis and alice's funding
    // No shutdown: the second replica sees only what the journal holds, as after kill -9.
    const second = await LocalReplica.open({ stateDir: dir, systemCanisters: true });
    expect(await balance(second, ICP_LEDGER_ID, bob)).toBe(123n);
    expect(await balance(second, ICP_LEDGER_ID, alice)).toBe(
      IDENTITY_FUNDING.icpE8s - 123n - 10_000n,
    );
    expect(second.system?.fund([alice, bob]).map((p) => p.toText())).toEqual([bob.toText()]);
    await second.shutdown();
  });

  it('leave every balance as it was when the disk refuses the transfer', async () => {
    let full = false;
    const io: StorageIo = {
      ...nodeIo,
      writeSync(fd, data, offset, length, position) {
        if (full) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        return nodeIo.writeSync(fd, data, offset, length, position);
      },
    };
    const dir = stateDir();
    const replica = await LocalReplica.open({
      stateDir: dir,
      systemCanisters: true,
      storageIo: io,
    });
    replica.system?.fund([alice]);
    full = true;
    const refused = await replica.update(
      ICP_LEDGER_ID,
      'icrc1_transfer',
      icrcTransfer(bob, 5n),
      alice,
    );
    expect(refused.kind === 'rejected' && refused.rejectMessage).toMatch(/out of storage/i);
    expect(await balance(replica, ICP_LEDGER_ID, bob)).toBe(0n);
    expect(await balance(replica, ICP_LEDGER_ID, alice)).toBe(IDENTITY_FUNDING.icpE8s);
    full = false;
    const sent = await replica.update(
      ICP_LEDGER_ID,
      'icrc1_transfer',
      icrcTransfer(bob, 5n),
      alice,
    );
    expect(replied(sent, TransferResult)).toHaveProperty('Ok');
    await replica.shutdown();
    const reopened = await LocalReplica.open({ stateDir: dir, systemCanisters: true });
    expect(await balance(reopened, ICP_LEDGER_ID, bob)).toBe(5n);
    await reopened.shutdown();
  });

  it('mint cycles from ICP sent to the minting canister, once per block', async () => {
    const replica = await LocalReplica.open({ systemCanisters: true });
    replica.system?.fund([alice]);
    const cyclesBefore = await balance(replica, CYCLES_LEDGER_ID, alice);
    const sent = await replica.update(
      ICP_LEDGER_ID,
      'transfer',
      encode(LegacyTransferArgs, {
        memo: 0x544e494dn,
        amount: { e8s: 100_000_000n },
        fee: { e8s: 10_000n },
        from_subaccount: [],
        to: accountIdentifier(CYCLES_MINTING_CANISTER_ID, [principalSubaccount(alice)]),
        created_at_time: [],
      }),
      alice,
    );
    const { Ok: block } = replied(sent, LegacyTransferResult) as { Ok: bigint };
    const notify = encode(NotifyMintCyclesArg, {
      block_index: block,
      to_subaccount: [],
      deposit_memo: [],
    });
    const first = replied(
      await replica.update(CYCLES_MINTING_CANISTER_ID, 'notify_mint_cycles', notify, alice),
      NotifyMintCyclesResult,
    );
    const again = replied(
      await replica.update(CYCLES_MINTING_CANISTER_ID, 'notify_mint_cycles', notify, alice),
      NotifyMintCyclesResult,
    );
    expect(first).toEqual(again);
    expect(first).toMatchObject({ Ok: { minted: 3_520_000_000_000n } });
    expect(await balance(replica, CYCLES_LEDGER_ID, alice)).toBe(cyclesBefore + 3_519_900_000_000n);
    // Another principal cannot claim alice's payment.
    const stolen = replied(
      await replica.update(CYCLES_MINTING_CANISTER_ID, 'notify_mint_cycles', notify, bob),
      NotifyMintCyclesResult,
    );
    expect(stolen).toEqual(first);
    expect(await balance(replica, CYCLES_LEDGER_ID, bob)).toBe(0n);
    await replica.shutdown();
  });

  it('create a canister paid from the cycles ledger, controlled by the caller', async () => {
    const replica = await LocalReplica.open({ systemCanisters: true });
    replica.system?.fund([alice]);
    const created = await replica.update(
      CYCLES_LEDGER_ID,
      'create_canister',
      encode(CreateCanisterArgs, {
        from_subaccount: [],
        created_at_time: [],
        amount: 2_000_000_000_000n,
        creation_args: [],
      }),
      alice,
    );
    const { Ok } = replied(created, CreateCanisterResult) as { Ok: { canister_id: Principal } };
    expect(replica.canister(Ok.canister_id)?.controllers.map((p) => p.toText())).toEqual([
      alice.toText(),
    ]);
    expect(replica.canisterStats(Ok.canister_id)?.cycles).toBe(2_000_000_000_000n);
    expect(await balance(replica, CYCLES_LEDGER_ID, alice)).toBe(
      IDENTITY_FUNDING.cycles - 2_000_100_000_000n,
    );
    const poor = await replica.update(
      CYCLES_LEDGER_ID,
      'create_canister',
      encode(CreateCanisterArgs, {
        from_subaccount: [],
        created_at_time: [],
        amount: 1n,
        creation_args: [],
      }),
      bob,
    );
    expect(replied(poor, CreateCanisterResult)).toEqual({
      Err: { InsufficientFunds: { balance: 0n } },
    });
    await replica.shutdown();
  });
});

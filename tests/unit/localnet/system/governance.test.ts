/**
 * NNS governance's neurons on localnet, as an app that weighs votes by staked ICP uses them:
 * a member stakes ICP to a neuron subaccount and claims it, adds the app's principal as a hot
 * key and makes the neuron public; the app then reads it with `list_neurons`. Private neurons
 * stay private, only the controller configures, and neurons survive a crash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalReplica } from '../../../../src/localnet/core/replica';
import type { CallOutcome } from '../../../../src/localnet/core/replica-api';
import {
  neuronSubaccount,
  ProposalStatus,
  votingPower,
} from '../../../../src/localnet/system/governance';
import {
  ListNeurons,
  ListNeuronsResponse,
  LocalnetCreateNeuron,
  LocalnetMakeProposal,
  LocalnetResult,
  LocalnetSetProposalStatus,
  ProposalInfo,
  ManageNeuronRequest,
  ManageNeuronResponse,
} from '../../../../src/localnet/system/governance-candid';
import { ICP_LEDGER_ID, NNS_GOVERNANCE_ID } from '../../../../src/localnet/system/ids';
import { TransferArg, TransferResult } from '../../../../src/localnet/system/ledger-candid';

const alice = Principal.selfAuthenticating(new Uint8Array(32).fill(1));
const app = Principal.selfAuthenticating(new Uint8Array(32).fill(2));
const mallory = Principal.selfAuthenticating(new Uint8Array(32).fill(3));
const ICP = 100_000_000n;
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const encode = (type: IDL.Type, value: unknown) => new Uint8Array(IDL.encode([type], [value]));

function replied<T>(outcome: CallOutcome, type: IDL.Type): T {
  if (outcome.kind !== 'replied') throw new Error(`rejected: ${outcome.rejectMessage}`);
  return IDL.decode([type], outcome.reply)[0] as T;
}

type Neuron = { id: [] | [{ id: bigint }]; hot_keys: Principal[]; cached_neuron_stake_e8s: bigint };
type Listed = {
  neuron_infos: Array<
    [bigint, { voting_power: bigint; visibility: [] | [number]; age_seconds: bigint }]
  >;
  full_neurons: Neuron[];
};

async function stake(replica: LocalReplica, memo: bigint, e8s: bigint): Promise<void> {
  const sent = await replica.update(
    ICP_LEDGER_ID,
    'icrc1_transfer',
    encode(TransferArg, {
      from_subaccount: [],
      to: { owner: NNS_GOVERNANCE_ID, subaccount: [neuronSubaccount(alice, memo)] },
      amount: e8s,
      fee: [],
      memo: [],
      created_at_time: [],
    }),
    alice,
  );
  expect(replied<object>(sent, TransferResult)).toHaveProperty('Ok');
}

function manage(command: unknown, neuronId?: bigint): Uint8Array {
  return encode(ManageNeuronRequest, {
    neuron_id_or_subaccount: neuronId === undefined ? [] : [{ NeuronId: { id: neuronId } }],
    command: [command],
    id: [],
  });
}

async function run(
  replica: LocalReplica,
  sender: Principal,
  command: unknown,
  neuronId?: bigint,
): Promise<Record<string, unknown>> {
  const outcome = await replica.update(
    NNS_GOVERNANCE_ID,
    'manage_neuron',
    manage(command, neuronId),
    sender,
  );
  const response = replied<{ command: [Record<string, unknown>] }>(outcome, ManageNeuronResponse);
  return response.command[0];
}

async function list(replica: LocalReplica, sender: Principal, ids: bigint[], publicToo: boolean) {
  const outcome = await replica.query({
    requestId: new Uint8Array(32),
    sender,
    canisterId: NNS_GOVERNANCE_ID,
    effectiveCanisterId: NNS_GOVERNANCE_ID,
    methodName: 'list_neurons',
    arg: encode(ListNeurons, {
      neuron_ids: ids,
      include_neurons_readable_by_caller: false,
      include_empty_neurons_readable_by_caller: [],
      include_public_neurons_in_full_neurons: [publicToo],
      page_number: [],
      page_size: [],
    }),
  });
  return replied<Listed>(outcome, ListNeuronsResponse);
}

async function claim(replica: LocalReplica, memo: bigint): Promise<bigint> {
  const r = await run(replica, alice, {
    ClaimOrRefresh: { by: [{ MemoAndController: { controller: [alice], memo } }] },
  });
  const claimed = r.ClaimOrRefresh as { refreshed_neuron_id: [{ id: bigint }] };
  return claimed.refreshed_neuron_id[0].id;
}

describe('NNS governance neurons', () => {
  it('go from a stake to a public neuron whose hot key an app can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localnet-governance-'));
    dirs.push(dir);
    const replica = await LocalReplica.open({ stateDir: dir, systemCanisters: true });
    replica.system?.fund([alice]);
    await stake(replica, 7n, 10n * ICP);
    const id = await claim(replica, 7n);

    // Private: the app sees public facts only, not the full neuron.
    let seen = await list(replica, app, [id], true);
    expect(seen.neuron_infos.map(([n]) => n)).toEqual([id]);
    expect(seen.full_neurons).toEqual([]);

    // Only the controller configures.
    const refused = await run(
      replica,
      mallory,
      { Configure: { operation: [{ AddHotKey: { new_hot_key: [mallory] } }] } },
      id,
    );
    expect(refused.Error).toMatchObject({ error_type: 3 });

    for (const operation of [
      { AddHotKey: { new_hot_key: [app] } },
      { SetVisibility: { visibility: [2] } },
      { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: 365 * 24 * 3600 } },
    ]) {
      expect(await run(replica, alice, { Configure: { operation: [operation] } }, id)).toEqual({
        Configure: {},
      });
    }
    seen = await list(replica, app, [id], true);
    expect(seen.full_neurons).toHaveLength(1);
    expect(seen.full_neurons[0]!.hot_keys.map((p) => p.toText())).toEqual([app.toText()]);
    expect(seen.full_neurons[0]!.cached_neuron_stake_e8s).toBe(10n * ICP);
    const { voting_power: power, age_seconds: age } = seen.neuron_infos[0]![1];
    expect(power).toBeGreaterThan(10n * ICP); // a year of dissolve delay adds an eighth
    expect(power).toBe(votingPower(10n * ICP, 365n * 24n * 3600n, age));

    // Restaked and refreshed; then a crash (no shutdown) and a restart keep all of it.
    await stake(replica, 7n, 5n * ICP);
    expect(await claim(replica, 7n)).toBe(id);
    const restarted = await LocalReplica.open({ stateDir: dir, systemCanisters: true });
    seen = await list(restarted, app, [id], true);
    expect(seen.full_neurons[0]!.cached_neuron_stake_e8s).toBe(15n * ICP);
    expect(seen.full_neurons[0]!.hot_keys.map((p) => p.toText())).toEqual([app.toText()]);
    await restarted.shutdown();
  });

  it('refuse to claim a subaccount holding less than 1 ICP', async () => {
    const replica = await LocalReplica.open({ systemCanisters: true });
    replica.system?.fund([alice]);
    await stake(replica, 1n, ICP / 2n);
    const r = await run(replica, alice, {
      ClaimOrRefresh: { by: [{ MemoAndController: { controller: [alice], memo: 1n } }] },
    });
    expect(r.Error).toMatchObject({ error_type: 14 });
    await replica.shutdown();
  });

  it('give no voting power under six months of dissolve delay', () => {
    expect(votingPower(10n * ICP, 0n, 0n)).toBe(0n);
    expect(votingPower(ICP, 8n * 31_557_600n, 4n * 31_557_600n)).toBe((2n * ICP * 5n) / 4n);
  });
});

type Info = {
  status: number;
  topic: number;
  proposal: [{ title: [string]; summary: string; url: string }];
  decided_timestamp_seconds: bigint;
  executed_timestamp_seconds: bigint;
  latest_tally: [{ yes: bigint; no: bigint; total: bigint }];
};

async function dev(
  replica: LocalReplica,
  method: string,
  type: IDL.Type,
  arg: unknown,
): Promise<{ Ok: bigint } | { Err: string }> {
  const outcome = await replica.update(NNS_GOVERNANCE_ID, method, encode(type, arg), mallory);
  return replied<{ Ok: bigint } | { Err: string }>(outcome, LocalnetResult);
}

async function proposalInfo(replica: LocalReplica, id: bigint): Promise<Info | undefined> {
  const outcome = await replica.query({
    requestId: new Uint8Array(32),
    sender: app,
    canisterId: NNS_GOVERNANCE_ID,
    effectiveCanisterId: NNS_GOVERNANCE_ID,
    methodName: 'get_proposal_info',
    arg: encode(IDL.Nat64, id),
  });
  return replied<[Info] | []>(outcome, IDL.Opt(ProposalInfo))[0];
}

describe('the governance stand-in dev controls', () => {
  it('create a public neuron with hot keys in one call', async () => {
    const replica = await LocalReplica.open({ systemCanisters: true });
    const made = await dev(replica, 'localnet_create_neuron', LocalnetCreateNeuron, {
      controller: alice,
      hot_keys: [app],
      public: true,
      stake_e8s: 20n * ICP,
      dissolve_delay_seconds: 8n * 31_557_600n,
    });
    if (!('Ok' in made)) throw new Error(made.Err);
    const seen = await list(replica, mallory, [made.Ok], true);
    expect(seen.full_neurons[0]!.hot_keys.map((p) => p.toText())).toEqual([app.toText()]);
    expect(seen.full_neurons[0]!.cached_neuron_stake_e8s).toBe(20n * ICP);
    expect(seen.neuron_infos[0]![1].voting_power).toBe(40n * ICP);
    // The stake is real ICP in the neuron's subaccount: a refresh keeps it.
    const r = await run(replica, alice, { ClaimOrRefresh: { by: [] } }, made.Ok);
    expect(r).toEqual({ ClaimOrRefresh: { refreshed_neuron_id: [{ id: made.Ok }] } });
    expect(
      (await list(replica, mallory, [made.Ok], true)).full_neurons[0]!.cached_neuron_stake_e8s,
    ).toBe(20n * ICP);
    await replica.shutdown();
  });

  it('make a proposal and move it from open to adopted to executed, which survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localnet-governance-'));
    dirs.push(dir);
    const replica = await LocalReplica.open({ stateDir: dir, systemCanisters: true });
    const made = await dev(replica, 'localnet_make_proposal', LocalnetMakeProposal, {
      title: 'Shared security through node shuffling',
      summary: 'Rotate nodes between subnets.',
      url: 'https://forum.dfinity.org/t/node-shuffling',
      topic: [],
    });
    if (!('Ok' in made)) throw new Error(made.Err);
    const id = made.Ok;
    let info = await proposalInfo(replica, id);
    expect(info).toMatchObject({ status: ProposalStatus.Open, topic: 4 });
    expect(info!.proposal[0].title).toEqual(['Shared security through node shuffling']);

    const move = (status: number) =>
      dev(replica, 'localnet_set_proposal_status', LocalnetSetProposalStatus, { id, status });
    // Execution comes only after adoption.
    expect(await move(ProposalStatus.Executed)).toHaveProperty('Err');
    expect(await move(ProposalStatus.Adopted)).toEqual({ Ok: id });
    info = await proposalInfo(replica, id);
    expect(info!.status).toBe(ProposalStatus.Adopted);
    expect(info!.decided_timestamp_seconds).toBeGreaterThan(0n);
    expect(await move(ProposalStatus.Rejected)).toHaveProperty('Err');
    expect(await move(ProposalStatus.Executed)).toEqual({ Ok: id });

    const restarted = await LocalReplica.open({ stateDir: dir, systemCanisters: true });
    info = await proposalInfo(restarted, id);
    expect(info!.status).toBe(ProposalStatus.Executed);
    expect(info!.executed_timestamp_seconds).toBeGreaterThan(0n);
    expect(await proposalInfo(restarted, id + 1n)).toBeUndefined();
    await restarted.shutdown();
  });
});

/**
 * Dev controls of localnet's NNS governance stand-in (`npm run nns -- <command>`): create
 * neurons and proposals and move proposals through their states, as NNS voting would, against
 * a running localnet. They are the stand-in's own `localnet_*` methods, called over the HTTP
 * interface with @dfinity/agent; NNS governance on mainnet has no such methods.
 */
import { parseArgs } from 'node:util';

import { Actor, HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import {
  LocalnetCreateNeuron,
  LocalnetMakeProposal,
  LocalnetResult,
  LocalnetSetProposalStatus,
  ProposalInfo,
} from '../src/localnet/system/governance-candid';
import { NNS_GOVERNANCE_ID } from '../src/localnet/system/ids';
import { ProposalStatus } from '../src/localnet/system/governance';

const USAGE = `Usage: npm run nns -- <command> [options]   (against a running localnet)

  create-neuron --controller <principal> [--hot-key <principal> ...] [--public]
                [--stake <ICP>] [--dissolve-delay-years <years>]
      A neuron staked with real (minted) ICP; prints its id. Defaults: 10 ICP, 1 year.
  make-proposal --title <text> [--summary <text>] [--url <https://…>]
      A motion proposal, open; prints its id.
  set-status <proposal id> <adopted|rejected|executed|failed>
      Open → adopted or rejected; adopted → executed or failed.
  show <proposal id>
      The proposal as get_proposal_info returns it.

  --url-of-localnet <url>   the HTTP interface (default http://127.0.0.1:4943)`;

const idlFactory: IDL.InterfaceFactory = ({ IDL: I }) =>
  I.Service({
    localnet_create_neuron: I.Func([LocalnetCreateNeuron], [LocalnetResult], []),
    localnet_make_proposal: I.Func([LocalnetMakeProposal], [LocalnetResult], []),
    localnet_set_proposal_status: I.Func([LocalnetSetProposalStatus], [LocalnetResult], []),
    get_proposal_info: I.Func([I.Nat64], [I.Opt(ProposalInfo)], ['query']),
  });

type Outcome = { Ok: bigint } | { Err: string };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    controller: { type: 'string' },
    'hot-key': { type: 'string', multiple: true },
    public: { type: 'boolean' },
    stake: { type: 'string' },
    'dissolve-delay-years': { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    url: { type: 'string' },
    'url-of-localnet': { type: 'string' },
    help: { type: 'boolean' },
  },
});

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(1);
}

function icpToE8s(text: string): bigint {
  if (!/^\d+(\.\d{1,8})?$/.test(text)) fail(`--stake must be an amount of ICP, got "${text}"`);
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole!) * 100_000_000n + BigInt(fraction.padEnd(8, '0'));
}

/** The stand-in's answer; a refusal (a bad transition, an unknown id) is printed as it is. */
function done(outcome: Outcome): bigint {
  if ('Err' in outcome) {
    console.error(outcome.Err);
    process.exit(1);
  }
  return outcome.Ok;
}

const [command, ...rest] = positionals;
if (values.help === true || command === undefined) {
  console.log(USAGE);
  process.exit(command === undefined && values.help !== true ? 1 : 0);
}

const host = values['url-of-localnet'] ?? 'http://127.0.0.1:4943';
// Localnet's root key is its own: fetching it is right for a network you run yourself only.
const agent = await HttpAgent.create({ host, shouldFetchRootKey: true });
const governance = Actor.createActor<Record<string, (...args: unknown[]) => Promise<unknown>>>(
  idlFactory,
  { agent, canisterId: NNS_GOVERNANCE_ID },
);

switch (command) {
  case 'create-neuron': {
    if (values.controller === undefined) fail('create-neuron needs --controller');
    const years = Number(values['dissolve-delay-years'] ?? '1');
    if (!(years >= 0 && years <= 8)) fail('--dissolve-delay-years must be between 0 and 8');
    const id = done(
      (await governance.localnet_create_neuron!({
        controller: Principal.fromText(values.controller),
        hot_keys: (values['hot-key'] ?? []).map((p) => Principal.fromText(p)),
        public: values.public === true,
        stake_e8s: icpToE8s(values.stake ?? '10'),
        dissolve_delay_seconds: BigInt(Math.round(years * 31_557_600)),
      })) as Outcome,
    );
    console.log(String(id));
    break;
  }
  case 'make-proposal': {
    if (values.title === undefined) fail('make-proposal needs --title');
    const id = done(
      (await governance.localnet_make_proposal!({
        title: values.title,
        summary: values.summary ?? '',
        url: values.url ?? '',
        topic: [],
      })) as Outcome,
    );
    console.log(String(id));
    break;
  }
  case 'set-status': {
    const [id, name] = rest;
    const statuses: Record<string, number> = {
      adopted: ProposalStatus.Adopted,
      rejected: ProposalStatus.Rejected,
      executed: ProposalStatus.Executed,
      failed: ProposalStatus.Failed,
    };
    if (id === undefined || !/^\d+$/.test(id) || name === undefined || !(name in statuses)) {
      fail('set-status needs a proposal id and adopted, rejected, executed or failed');
    }
    done(
      (await governance.localnet_set_proposal_status!({
        id: BigInt(id),
        status: statuses[name],
      })) as Outcome,
    );
    console.log(`proposal ${id} is ${name}`);
    break;
  }
  case 'show': {
    const [id] = rest;
    if (id === undefined || !/^\d+$/.test(id)) fail('show needs a proposal id');
    const info = (await governance.get_proposal_info!(BigInt(id))) as unknown[];
    if (info.length === 0) fail(`no proposal ${id}`);
    console.log(
      JSON.stringify(info[0], (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2),
    );
    break;
  }
  default:
    fail(`unknown command "${command}"`);
}

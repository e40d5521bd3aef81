/* global process, console */
/**
 * The acceptance script of issue 3, as a user would write it: plain Node, the unmodified
 * @dfinity/agent (HttpAgent + fetchRootKey + Actor) and the generated idlFactory. It signs in
 * with a fresh Ed25519 identity, submits a proposal, votes on it and reads it back, printing
 * one JSON line for the test to check.
 *
 *   node tests/integration/acceptance/agent-script.mjs http://127.0.0.1:4943 <backend id>
 */
import { Actor, HttpAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { idlFactory } from '../../../src/declarations/backend/backend.did.js';

const [host, canisterId] = process.argv.slice(2);
if (!host || !canisterId) {
  console.error('usage: agent-script.mjs <host> <backend canister id>');
  process.exit(2);
}

const identity = Ed25519KeyIdentity.generate();
const agent = await HttpAgent.create({ host, identity });
await agent.fetchRootKey();
const backend = Actor.createActor(idlFactory, { agent, canisterId });

const unwrap = (result, what) => {
  if ('Err' in result) throw new Error(`${what}: ${JSON.stringify(Object.keys(result.Err))}`);
  return result.Ok;
};

const me = await backend.whoami();
const proposal = unwrap(
  await backend.submitProposal({
    title: 'Shared security through node shuffling',
    body: 'Submitted by the acceptance script.',
    tags: ['security'],
    themeId: [],
  }),
  'submitProposal',
);
const tally = unwrap(await backend.voteProposal(proposal.id, [{ Up: null }]), 'voteProposal');
const [detail] = await backend.getProposal(proposal.id);

console.log(
  JSON.stringify({
    principal: identity.getPrincipal().toText(),
    whoami: me.principal.toText(),
    isAnonymous: me.isAnonymous,
    id: proposal.id.toString(),
    tallyUp: tally.up,
    title: detail?.proposal.title,
    author: detail?.proposal.author.toText(),
    up: detail?.proposal.up,
    myVote: detail ? Object.keys(detail.myVote[0] ?? {}) : [],
  }),
);

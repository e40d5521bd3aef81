/**
 * Arguments that are not the candid a method takes are rejected with a short message that
 * names the problem and nothing of the canister's internals (no stack, no build paths), and
 * change nothing. Sent through the real HTTP interface as any client could send them.
 */
import { HttpAgent, polling } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNet, type TestNet } from './harness';

let net: TestNet;
let agent: HttpAgent;

beforeAll(async () => {
  net = await startTestNet();
  agent = await HttpAgent.create({
    host: net.localnet.apiUrl,
    identity: Ed25519KeyIdentity.generate(),
    shouldFetchRootKey: true,
  });
});

afterAll(async () => {
  await net.dispose();
});

async function rejectOfUpdate(methodName: string, arg: Uint8Array): Promise<string> {
  try {
    const { requestId } = await agent.call(net.localnet.backendId, { methodName, arg });
    await polling.pollForResponse(agent, net.localnet.backendId, requestId);
  } catch (error) {
    return String((error as Error).message);
  }
  throw new Error(`${methodName} accepted a malformed argument`);
}

async function rejectOfQuery(methodName: string, arg: Uint8Array): Promise<string> {
  const response = await agent.query(net.localnet.backendId, { methodName, arg });
  if (response.status !== 'rejected')
    throw new Error(`${methodName} answered a malformed argument`);
  return response.reject_message;
}

const garbage = new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0xff, 0xff, 0x01]);
const notCandid = new TextEncoder().encode('hello, canister');
const truncated = new Uint8Array(
  IDL.encode(
    [
      IDL.Record({
        title: IDL.Text,
        body: IDL.Text,
        themeId: IDL.Opt(IDL.Nat64),
        tags: IDL.Vec(IDL.Text),
      }),
    ],
    [{ title: 'A fine title', body: 'body', themeId: [], tags: [] }],
  ),
).slice(0, -3);

function expectCleanReject(message: string): void {
  expect(message).toMatch(/malformed candid/);
  expect(message).not.toMatch(/\.azle|main\.js|\bat \w+ \(|Uncaught/);
}

describe('malformed arguments', () => {
  it('are rejected by updates with a short message, and nothing is written', async () => {
    for (const arg of [garbage, notCandid, truncated]) {
      expectCleanReject(await rejectOfUpdate('submitProposal', arg));
    }
    expectCleanReject(await rejectOfUpdate('voteProposal', garbage));
    const anyone = await net.actor();
    const page = await anyone.listProposals({
      needsResponse: [],
      sort: { New: null },
      status: [],
      themeId: [],
      tag: [],
      author: [],
      cursor: [],
      limit: 10,
    });
    expect(page.proposals).toHaveLength(0);
  });

  it('are rejected by queries with a short message', async () => {
    for (const arg of [garbage, notCandid]) {
      expectCleanReject(await rejectOfQuery('listProposals', arg));
      expectCleanReject(await rejectOfQuery('getProposal', arg));
    }
  });

  it('with trailing bytes after a valid value are rejected too', async () => {
    const valid = new Uint8Array(IDL.encode([IDL.Nat64], [1n]));
    const trailing = new Uint8Array([...valid, 0x00]);
    expectCleanReject(await rejectOfQuery('getProposal', trailing));
  });
});

/**
 * Certified tallies end to end: the backend keeps proposals' and items' tallies in its
 * certified hash tree, `getTallyProof` returns the IC certificate and a witness, and the app's
 * check (src/frontend/src/api/verifyTallies.ts) accepts an honest proof with the numbers the
 * other queries show, and rejects a tampered witness, a tampered certificate and a stale one.
 */
import { Actor, HttpAgent, type Identity } from '@dfinity/agent';
import { Cbor, type HashTree } from '@dfinity/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  idlFactory,
  type Item,
  type Roadmap,
  type TallyProof,
  type _SERVICE,
} from '../../src/declarations/backend';
import {
  TallyCheckError,
  verifyTallyProof,
  type VerifiedTallies,
} from '../../src/frontend/src/api/verifyTallies';
import { getUrl } from '../support/http-request';
import {
  ed25519,
  err,
  ok,
  ONE_ITEM_ROADMAP,
  settleNewMembers,
  startTestNet,
  type TestNet,
} from './harness';

type Backend = _SERVICE;

describe('certified tallies', () => {
  let net: TestNet;
  let rootKey: Uint8Array;
  let anonymous: Backend;
  let proposalIds: bigint[];
  let itemId: bigint;

  const actor = async (identity?: Identity): Promise<{ backend: Backend; agent: HttpAgent }> => {
    const agent = await HttpAgent.create({
      host: net.localnet.apiUrl,
      identity,
      shouldFetchRootKey: true,
    });
    const backend = Actor.createActor<Backend>(idlFactory, {
      agent,
      canisterId: net.localnet.backendId,
    });
    return { backend, agent };
  };

  const verify = (proof: TallyProof, now?: Date): Promise<VerifiedTallies> =>
    verifyTallyProof(proof, { canisterId: net.localnet.backendId, rootKey, now });

  const proofOf = async (proposals: bigint[], items: bigint[]): Promise<TallyProof> =>
    ok(await anonymous.getTallyProof({ proposals, items }));

  /** Waits until the certified tallies equal what the reads show (or `ms` pass). */
  async function certified(ms = 2_000): Promise<{ proof: TallyProof; waitedMs: number }> {
    const started = Date.now();
    for (;;) {
      const proof = await proofOf(proposalIds, [itemId]);
      const shown = await Promise.all(proposalIds.map((id) => anonymous.getProposal(id)));
      const same = proof.proposals.every((tally, i) => {
        const p = shown[i]![0]!.proposal;
        return tally.up === p.up && tally.down === p.down;
      });
      const item = (await anonymous.getItem(itemId))[0]!.item;
      const waitedMs = Date.now() - started;
      if (
        same &&
        proof.proposals.length === proposalIds.length &&
        proof.items[0]?.votes === item.priority.votes
      ) {
        return { proof, waitedMs };
      }
      if (waitedMs > ms) throw new Error(`tallies not certified after ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    net = await startTestNet();
    const deployer = (await actor(net.deployer)).backend;
    await settleNewMembers(deployer);
    const alice = (await actor(ed25519())).backend;
    const bob = (await actor(ed25519())).backend;
    const carol = (await actor(ed25519())).backend;
    const reader = await actor();
    anonymous = reader.backend;
    rootKey = new Uint8Array(reader.agent.rootKey!);
    ok(await deployer.importRoadmap(ONE_ITEM_ROADMAP));
    const roadmap = await anonymous.getRoadmap();
    itemId = itemOf(roadmap).id;
    proposalIds = [];
    for (const title of ['Shared security through node shuffling', 'Threshold EdDSA for Solana']) {
      proposalIds.push(
        ok(await alice.submitProposal({ title, body: '', tags: [], themeId: [] })).id,
      );
    }
    ok(await bob.voteProposal(proposalIds[0]!, [{ Up: null }]));
    ok(await carol.voteProposal(proposalIds[0]!, [{ Up: null }]));
    ok(await bob.voteProposal(proposalIds[1]!, [{ Down: null }]));
    ok(await bob.setPriorityVotes(itemId, 3));
    ok(await carol.setPriorityVotes(itemId, 2));
    ok(await deployer.setProposalStatus(proposalIds[1]!, { Planned: itemId }, []));
  });

  afterAll(async () => {
    await net?.dispose();
  });

  it('a proof verifies against the certificate, and its numbers are the ones the app shows', async () => {
    const { proof, waitedMs } = await certified();
    expect(waitedMs).toBeLessThanOrEqual(2_000);
    const verified = await verify(proof);
    expect(Math.abs(verified.certifiedAt.getTime() - Date.now())).toBeLessThan(5 * 60_000);

    const [first, second] = proposalIds as [bigint, bigint];
    const detail = (await anonymous.getProposal(first))[0]!.proposal;
    expect(verified.proposals.get(first)).toEqual({
      up: detail.up,
      down: detail.down,
      status: 'Open',
      statusRef: undefined,
    });
    expect(detail).toMatchObject({ up: 3, down: 0 });
    const page = await anonymous.listProposals({
      needsResponse: [],
      sort: { New: null },
      cursor: [],
      limit: 20,
      status: [],
      tag: [],
      author: [],
      themeId: [],
    });
    const listed = page.proposals.find((p) => p.id === second)!;
    expect(verified.proposals.get(second)).toEqual({
      up: listed.up,
      down: listed.down,
      status: 'Planned',
      statusRef: itemId,
    });
    const roadmapItem = itemOf(await anonymous.getRoadmap());
    expect(verified.items.get(itemId)).toEqual({ votes: 5, supporters: 2 });
    expect(roadmapItem.priority).toEqual({ votes: 5, supporters: 2 });
  });

  it('a vote is certified within 2 seconds', async () => {
    const dave = (await actor(ed25519())).backend;
    ok(await dave.voteProposal(proposalIds[1]!, [{ Up: null }]));
    const { proof, waitedMs } = await certified();
    expect(waitedMs).toBeLessThanOrEqual(2_000);
    const verified = await verify(proof);
    expect(verified.proposals.get(proposalIds[1]!)).toMatchObject({ up: 2, down: 1 });
  });

  it('a tampered witness is rejected', async () => {
    const { proof } = await certified();
    // The first proposal's leaf says 3 up-votes; make it say 4.
    const tree = Cbor.decode<HashTree>(new Uint8Array(proof.witness));
    const leaf = findLeaf(tree, 17)!;
    leaf[3] = (leaf[3] ?? 0) + 1;
    const witness = Cbor.encode(tree);
    await expect(verify({ ...proof, witness })).rejects.toMatchObject({ step: 'certified-data' });
    // Numbers in the reply that the witness does not hold are refused too.
    const proposals = proof.proposals.map((p, i) => (i === 0 ? { ...p, up: p.up + 1 } : p));
    await expect(verify({ ...proof, proposals })).rejects.toMatchObject({ step: 'witness' });
    // And a witness of another canister's data (here: another tree with a valid shape).
    const pruned = Cbor.encode([4, new Uint8Array(32)]);
    await expect(verify({ ...proof, witness: pruned })).rejects.toBeInstanceOf(TallyCheckError);
  });

  it('a tampered certificate is rejected', async () => {
    const { proof } = await certified();
    const certificate = new Uint8Array(proof.certificate);
    // The signature is among the certificate's last bytes: one bit of it changed.
    certificate[certificate.length - 5]! ^= 0x01;
    await expect(verify({ ...proof, certificate })).rejects.toMatchObject({ step: 'certificate' });
    // An honest certificate, but checked as another canister's: it certifies nothing of that one.
    await expect(
      verifyTallyProof(proof, { canisterId: net.localnet.frontendId, rootKey }),
    ).rejects.toBeInstanceOf(TallyCheckError);
  });

  it('a stale certificate is rejected', async () => {
    // Localnet's certificates carry the time of its certifier's clock, which a test may set:
    // 10 minutes back, it hands out a certificate that old.
    const certifier = net.localnet.server.certifier;
    const tenMinutes = 10n * 60n * 1_000_000_000n;
    certifier.setClock(() => net.localnet.replica.timeNanos() - tenMinutes);
    let stale: TallyProof;
    try {
      // Query signatures carry that time too: this reader does not check them.
      const agent = await HttpAgent.create({
        host: net.localnet.apiUrl,
        shouldFetchRootKey: true,
        verifyQuerySignatures: false,
      });
      const reader = Actor.createActor<Backend>(idlFactory, {
        agent,
        canisterId: net.localnet.backendId,
      });
      stale = ok(await reader.getTallyProof({ proposals: proposalIds, items: [itemId] }));
    } finally {
      certifier.setClock(() => net.localnet.replica.timeNanos());
    }
    await expect(verify(stale)).rejects.toMatchObject({ step: 'freshness' });
    // The same check with a clock that is itself 10 minutes behind accepts it.
    await expect(verify(stale, new Date(Date.now() - 10 * 60_000))).resolves.toBeDefined();
  });

  it('the share pages still verify at the gateway beside the certified tallies', async () => {
    await certified();
    const page = await getUrl(
      `http://${net.localnet.backendId.toText()}.localhost:${net.localnet.port}/proposals/${proposalIds[0]}`,
    );
    expect(page.status).toBe(200);
    expect(page.headers['x-localnet-uncertified']).toBeUndefined();
  });

  it('refuses more ids than one proof may hold, and leaves out ids it does not know', async () => {
    const many = Array.from({ length: 101 }, (_, i) => BigInt(i + 1));
    expect(err(await anonymous.getTallyProof({ proposals: many, items: [] }))).toEqual({
      Invalid: { field: 'proposals', reason: 'at most 100 ids per call' },
    });
    expect(err(await anonymous.getTallyProof({ proposals: [], items: many }))).toMatchObject({
      Invalid: { field: 'items' },
    });
    const proof = await proofOf([proposalIds[0]!, 999n], [12345n]);
    expect(proof.proposals.map((p) => p.id)).toEqual([proposalIds[0]]);
    expect(proof.items).toEqual([]);
    await expect(verify(proof)).resolves.toBeDefined();
  });

  it('after an upgrade the tree is built again and certifies the same tallies', async () => {
    const before = await verify((await certified()).proof);
    const port = net.localnet.port;
    await net.stop();
    net = await startTestNet(net.stateDir, port);
    const reader = await actor();
    anonymous = reader.backend;
    const { proof } = await certified(10_000);
    const after = await verify(proof);
    expect(after.proposals).toEqual(before.proposals);
    expect(after.items).toEqual(before.items);
  });
});

/** The item this test imports (the seeded roadmap is there too). */
function itemOf(roadmap: Roadmap): Item {
  for (const theme of roadmap.themes) {
    for (const milestone of theme.milestones) {
      const item = milestone.items.find((i) => i.slug === 'subnet-rotation');
      if (item) return item;
    }
  }
  throw new Error('the imported item is not in the roadmap');
}

/** The first leaf of `length` bytes in the tree (the same array object, to tamper with). */
function findLeaf(tree: HashTree, length: number): Uint8Array | undefined {
  switch (tree[0]) {
    case 1:
      return findLeaf(tree[1], length) ?? findLeaf(tree[2], length);
    case 2:
      return findLeaf(tree[2], length);
    case 3:
      return tree[1].length === length ? (tree[1] as Uint8Array) : undefined;
    default:
      return undefined;
  }
}

import {
  Cbor,
  lookup_path,
  LookupPathStatus,
  reconstruct as agentReconstruct,
  type HashTree,
} from '@dfinity/agent';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Commons } from '../../../../../src/backend/domain/commons';
import { idLabel } from '../../../../../src/backend/domain/certification/certified-map';
import {
  certifiedData,
  decodeItemTally,
  decodeProposalTally,
  encodeItemTally,
  encodeProposalTally,
} from '../../../../../src/backend/domain/certification/tallies';
import type { ProposalStatus, Vote } from '../../../../../src/backend/domain/model';
import { principalId } from '../../../../../src/backend/domain/model';
import {
  ADMIN,
  ALICE,
  BOB,
  proposalInput,
  seedRoadmap,
  setup,
  unwrap,
  type Setup,
} from '../../support';

/** Stands for the HTTP gateway's part of the tree, whatever it is. */
const HTTP = new Uint8Array(32).fill(7);
const never = () => false;

function certify(app: Setup): void {
  for (let i = 0; i < 100 && app.commons.pendingCertification() > 0; i++) {
    app.commons.runCertification(never);
  }
}

async function proofOf(commons: Commons, proposals: bigint[], items: bigint[]) {
  const proof = unwrap(commons.getTallyProof({ proposals, items }, HTTP));
  const tree = Cbor.decode<HashTree>(proof.witness);
  const root = new Uint8Array(await agentReconstruct(tree));
  return { proof, tree, root };
}

function leaf(tree: HashTree, map: string, id: bigint): Uint8Array | undefined {
  const found = lookup_path(['tallies', map, idLabel(Number(id))], tree);
  return found.status === LookupPathStatus.Found ? (found.value as Uint8Array) : undefined;
}

const members = ['m1', 'm2', 'm3', 'm4'].map(principalId);
const voteArb = fc.constantFrom<[] | [Vote]>([], [{ Up: null }], [{ Down: null }]);

describe('certified tallies', () => {
  it('leaves round-trip, in the documented layout', () => {
    const status: ProposalStatus = { Planned: 0x0102030405060708n };
    const bytes = encodeProposalTally({ up: 258, down: 1, status });
    expect([...bytes]).toEqual([0, 0, 1, 2, 0, 0, 0, 1, 2, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(decodeProposalTally(9n, bytes)).toEqual({
      id: 9n,
      up: 258,
      down: 1,
      status: { Planned: null },
      statusRef: [0x0102030405060708n],
    });
    expect([...encodeItemTally({ votes: 5, supporters: 2 })]).toEqual([0, 0, 0, 5, 0, 0, 0, 2]);
    expect(decodeItemTally(3n, encodeItemTally({ votes: 5, supporters: 2 }))).toEqual({
      id: 3n,
      votes: 5,
      supporters: 2,
    });
    const declined = encodeProposalTally({ up: 0, down: 0, status: { Declined: 'why' } });
    expect(decodeProposalTally(1n, declined)).toMatchObject({ status: { Declined: null } });
  });

  it('after any votes, the witnessed tallies are the proposals’ and the witness hashes to the certified data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 4 }), voteArb), { maxLength: 30 }),
        async (actions) => {
          const app = setup();
          for (let i = 0; i < 5; i++) {
            unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
          }
          certify(app);
          for (const [member, proposal, vote] of actions) {
            unwrap(app.commons.voteProposal(app.as(members[member]!), BigInt(proposal + 1), vote));
          }
          certify(app);
          const ids = [1n, 2n, 3n, 4n, 5n];
          const { proof, tree, root } = await proofOf(app.commons, ids, []);
          expect(root).toEqual(certifiedData(HTTP, app.commons.certifiedTalliesRoot()!));
          for (const id of ids) {
            const { proposal } = app.commons.getProposal(app.as(ALICE), id)[0]!;
            const witnessed = decodeProposalTally(id, leaf(tree, 'proposals', id)!);
            expect(witnessed).toMatchObject({ up: proposal.up, down: proposal.down });
            expect(proof.proposals.find((p) => p.id === id)).toEqual(witnessed);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('certifies nothing new until the follow-up runs, and then the new tally', async () => {
    const app = setup();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expect(app.commons.certifiedTalliesRoot()).toBeUndefined();
    expect(app.commons.getTallyProof({ proposals: [id], items: [] }, HTTP)).toMatchObject({
      Err: { Conflict: expect.stringContaining('being certified') },
    });
    certify(app);
    const before = app.commons.certifiedTalliesRoot()!.slice();
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Up: null }]));
    expect(app.commons.pendingCertification()).toBe(1);
    // The proof still shows the certified state: the author's own up-vote only.
    expect((await proofOf(app.commons, [id], [])).proof.proposals[0]).toMatchObject({ up: 1 });
    expect(app.commons.certifiedTalliesRoot()).toEqual(before);
    certify(app);
    expect((await proofOf(app.commons, [id], [])).proof.proposals[0]).toMatchObject({ up: 2 });
  });

  it('covers statuses and items’ priority votes, and is built again from the records', async () => {
    const app = setup();
    const items = seedRoadmap(app);
    const itemId = items.get('gpu-node-spec')!;
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.setPriorityVotes(app.as(BOB), itemId, 3));
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { Planned: itemId }, []));
    certify(app);
    const { proof, root } = await proofOf(app.commons, [id], [itemId]);
    expect(proof.proposals).toEqual([
      { id, up: 1, down: 0, status: { Planned: null }, statusRef: [itemId] },
    ]);
    expect(proof.items).toEqual([{ id: itemId, votes: 3, supporters: 1 }]);

    const reopened = new Commons(app.stores);
    for (let i = 0; i < 100 && reopened.pendingCertification() > 0; i++) {
      reopened.runCertification(never);
    }
    const again = await proofOf(reopened, [id], [itemId]);
    expect(again.root).toEqual(root);
    expect(again.proof).toEqual(proof);
  });

  it('refuses more than 100 ids of a kind, and leaves out ids it does not hold', async () => {
    const app = setup();
    unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    certify(app);
    const many = Array.from({ length: 101 }, (_, i) => BigInt(i + 1));
    expect(app.commons.getTallyProof({ proposals: many, items: [] }, HTTP)).toEqual({
      Err: { Invalid: { field: 'proposals', reason: 'at most 100 ids per call' } },
    });
    expect(app.commons.getTallyProof({ proposals: [], items: many }, HTTP)).toMatchObject({
      Err: { Invalid: { field: 'items' } },
    });
    const { proof, tree } = await proofOf(app.commons, [1n, 1n, 42n], [7n]);
    expect(proof.proposals.map((p) => p.id)).toEqual([1n]);
    expect(proof.items).toEqual([]);
    expect(leaf(tree, 'proposals', 42n)).toBeUndefined();
  });
});

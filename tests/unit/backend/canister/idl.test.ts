import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';

import { decodeArgs, encodeReply, fromIdlValue } from '../../../../src/backend/codec';
import * as T from '../../../../src/backend/canister/idl';
import { principalIdFromBytes } from '../../../../src/backend/domain/model';
import { ADMIN, ALICE, BOB, MOD, proposalInput, seedRoadmap, setup, unwrap } from '../support';

const alice = principalIdFromBytes(new Uint8Array([1, 2, 3]));

/**
 * Encodes a domain value as the canister replies, decodes it as an agent would (with
 * @dfinity/candid, principals as Principal objects) and converts that back to domain values.
 */
function roundTrip<V>(type: IDL.Type, value: V): V {
  const bytes = encodeReply([type], [value]);
  const [decoded] = IDL.decode([type], bytes);
  return fromIdlValue(type, decoded) as V;
}

function populated() {
  const app = setup();
  const ids = seedRoadmap(app);
  unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
  unwrap(app.commons.setProfile(app.as(alice), { displayName: 'Alice', bio: 'Hi' }));
  const proposal = unwrap(
    app.commons.submitProposal(
      app.as(alice),
      proposalInput({ themeId: [ids.get('decentralized-ai')!] }),
    ),
  );
  unwrap(
    app.commons.editProposal(app.as(alice), proposal.id, proposalInput({ title: 'Edited title' })),
  );
  unwrap(app.commons.voteProposal(app.as(BOB), proposal.id, [{ Up: null }]));
  const root = unwrap(
    app.commons.postComment(app.as(alice), {
      target: { Proposal: proposal.id },
      parentId: [],
      body: 'Root',
    }),
  );
  unwrap(
    app.commons.postComment(app.as(BOB), {
      target: { Proposal: proposal.id },
      parentId: [root.id],
      body: 'Reply',
    }),
  );
  unwrap(app.commons.deleteComment(app.as(MOD), root.id));
  unwrap(app.commons.setPriorityVotes(app.as(alice), ids.get('gpu-node-spec')!, 3));
  unwrap(
    app.commons.setProposalStatus(app.as(ADMIN), proposal.id, { Declined: 'Not now' }, [
      'Maybe later.',
    ]),
  );
  return { app, ids, proposal };
}

describe('the candid contract', () => {
  it('carries every query result of a populated board unchanged', () => {
    const { app, ids, proposal } = populated();
    const ctx = app.as(alice);
    const cases: Array<[IDL.Type, unknown]> = [
      [T.Me, app.commons.whoami(ctx)],
      [T.Roadmap, app.commons.getRoadmap()],
      [IDL.Opt(T.ItemDetail), app.commons.getItem(ctx, ids.get('gpu-node-spec')!)],
      [
        T.ProposalPage,
        app.commons.listProposals(ctx, {
          needsResponse: [],
          sort: { Hot: null },
          status: [],
          themeId: [],
          tag: [],
          author: [],
          cursor: [],
          limit: 10,
        }),
      ],
      [IDL.Opt(T.ProposalDetail), app.commons.getProposal(ctx, proposal.id)],
      [
        IDL.Vec(T.ProposalRevision),
        app.commons.getProposalHistory(app.anonymous(), proposal.id, [], 10),
      ],
      [T.ThreadPage, app.commons.getThread(app.anonymous(), { Proposal: proposal.id }, [], 10)],
      [T.CommentPage, app.commons.listCommentsByAuthor(app.anonymous(), BOB, [], 10)],
      [IDL.Opt(T.Profile), app.commons.getProfile(alice)],
      [T.PriorityAllocation, app.commons.getMyPriorities(ctx)],
      [T.ActivityPage, app.commons.getActivity([], 50)],
      [IDL.Vec(T.RoleGrant), app.commons.listRoles()],
      [T.Settings, app.commons.getSettings()],
    ];
    for (const [type, value] of cases) expect(roundTrip(type, value)).toEqual(value);
  });

  it('carries update results and errors unchanged', () => {
    const { app, proposal } = populated();
    const cases: Array<[IDL.Type, unknown]> = [
      [T.ResultProposal, app.commons.submitProposal(app.as(BOB), proposalInput())],
      [T.ResultVoteTally, app.commons.voteProposal(app.as(BOB), proposal.id, [])],
      [T.ResultProfile, app.commons.setProfile(app.as(ALICE), { displayName: 'Al', bio: '' })],
      [T.ResultUnit, app.commons.setRole(app.as(ALICE), BOB, { Admin: null })],
      [
        T.ResultComment,
        app.commons.postComment(app.anonymous(), { target: { Item: 1n }, parentId: [], body: 'x' }),
      ],
      [T.ResultImportReport, app.commons.importRoadmap(app.as(ADMIN), { themes: [] })],
      [
        T.ResultSettings,
        app.commons.setSettings(app.as(ADMIN), { ...app.commons.getSettings(), votesPerHour: 0 }),
      ],
    ];
    for (const [type, value] of cases) expect(roundTrip(type, value)).toEqual(value);
  });

  it('reads principals as the agent sends them, and replies with them as principals', () => {
    const bytes = new Uint8Array(
      IDL.encode(
        [T.ListProposalsRequest],
        [
          {
            sort: { New: null },
            status: [],
            themeId: [],
            tag: ['ai'],
            author: [Principal.fromUint8Array(new Uint8Array([1, 2, 3]))],
            cursor: [],
            limit: 5,
            needsResponse: [],
          },
        ],
      ),
    );
    const [request] = decodeArgs([T.ListProposalsRequest], bytes) as [{ author: unknown[] }];
    expect(request.author).toEqual([alice]);
    const [grant] = IDL.decode(
      [T.RoleGrant],
      encodeReply([T.RoleGrant], [{ principal: alice, role: { Admin: null } }]),
    ) as unknown as [{ principal: Principal }];
    expect(grant.principal.toText()).toBe(
      Principal.fromUint8Array(new Uint8Array([1, 2, 3])).toText(),
    );
  });
});

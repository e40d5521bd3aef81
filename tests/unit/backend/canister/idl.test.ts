import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';

import { containsPrincipal, toCandid, toDomain } from '../../../../src/backend/canister/candid';
import * as T from '../../../../src/backend/canister/idl';
import { principalId, type ListProposalsRequest } from '../../../../src/backend/domain/model';
import { ADMIN, ALICE, BOB, MOD, proposalInput, seedRoadmap, setup, unwrap } from '../support';

// Real principal texts: the candid layer parses them.
const alice = principalId(Principal.fromUint8Array(new Uint8Array([1, 2, 3])).toText());

/** Encodes a domain value as the canister does, decodes it as an agent would, and converts back. */
function roundTrip<V>(type: IDL.Type, value: V): V {
  const bytes = IDL.encode([type], [toCandid(type, value)]);
  const [decoded] = IDL.decode([type], bytes);
  return toDomain<V>(type, decoded as never);
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
      [IDL.Vec(T.ProposalRevision), app.commons.getProposalHistory(proposal.id, [], 10)],
      [T.ThreadPage, app.commons.getThread({ Proposal: proposal.id }, [], 10)],
      [T.CommentPage, app.commons.listCommentsByAuthor(BOB, [], 10)],
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

  it('turns principal text into principals only where the contract says principal', () => {
    const candid = toCandid(T.RoleGrant, { principal: alice, role: { Admin: null } });
    expect(candid.principal).toBeInstanceOf(Principal);
    expect(candid.principal.toText()).toBe(alice);
    const request = toDomain<ListProposalsRequest>(T.ListProposalsRequest, {
      sort: { New: null },
      status: [],
      themeId: [],
      tag: ['ai'],
      author: [Principal.fromText(alice)],
      cursor: [],
      limit: 5,
    });
    expect(request.author).toEqual([alice]);
    expect(request.tag).toEqual(['ai']);
  });

  it('leaves the parts of a value that cannot hold a principal untouched, without walking them', () => {
    const { app } = populated();
    expect(containsPrincipal(T.Roadmap)).toBe(false);
    expect(containsPrincipal(T.Settings)).toBe(false);
    expect(containsPrincipal(T.ProposalPage)).toBe(true);
    expect(containsPrincipal(T.ThreadPage)).toBe(true);
    const roadmap = app.commons.getRoadmap();
    expect(toCandid(T.Roadmap, roadmap)).toBe(roadmap);
    const page = app.commons.listProposals(app.as(alice), {
      sort: { New: null },
      status: [],
      themeId: [],
      tag: [],
      author: [],
      cursor: [],
      limit: 10,
    });
    const candid = toCandid(T.ProposalPage, page);
    expect(candid.proposals[0]!.author).toBeInstanceOf(Principal);
    // principal-free fields are passed through by reference, not rebuilt
    expect(candid.proposals[0]!.tags).toBe(page.proposals[0]!.tags);
    expect(candid.proposals[0]!.status).toBe(page.proposals[0]!.status);
    // a recursive type with and without a principal inside
    const tree = IDL.Rec();
    tree.fill(IDL.Record({ label: IDL.Text, children: IDL.Vec(tree) }));
    expect(containsPrincipal(tree)).toBe(false);
    const owned = IDL.Rec();
    owned.fill(IDL.Record({ owner: IDL.Principal, children: IDL.Vec(owned) }));
    expect(containsPrincipal(owned)).toBe(true);
    const value = { owner: alice, children: [{ owner: alice, children: [] }] };
    expect(roundTrip(owned, value)).toEqual(value);
  });
});

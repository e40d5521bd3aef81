import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';
import { notification, notificationKind } from '../../../src/frontend/src/api/convert';

const carol = Principal.fromText('aaaaa-aa');

describe('notification conversion', () => {
  it('converts the notice around its kind: seq, nanosecond time, read', () => {
    expect(
      notification({
        seq: 7n,
        at: 1_700_000_000_000_000_000n,
        read: false,
        kind: { ItemDeployed: { itemId: 3n } },
      }),
    ).toEqual({
      seq: '7',
      at: new Date(1_700_000_000_000),
      read: false,
      kind: { kind: 'ItemDeployed', itemId: '3' },
    });
  });

  it.each(['Reply', 'NewComment', 'Mention'] as const)(
    'converts %s with its target and author',
    (k) => {
      const body = { by: carol, commentId: 12n, target: { Proposal: 4n } };
      const kind = { [k]: body } as Parameters<typeof notificationKind>[0];
      expect(notificationKind(kind)).toEqual({
        kind: k,
        commentId: '12',
        target: { kind: 'Proposal', id: '4' },
        by: 'aaaaa-aa',
      });
    },
  );

  it('converts a comment on an item or milestone', () => {
    expect(
      notificationKind({ NewComment: { by: carol, commentId: 1n, target: { Item: 9n } } }),
    ).toMatchObject({ target: { kind: 'Item', id: '9' } });
    expect(
      notificationKind({ Mention: { by: carol, commentId: 1n, target: { Milestone: 2n } } }),
    ).toMatchObject({ target: { kind: 'Milestone', id: '2' } });
  });

  it('converts a status change with its status and whether a response came', () => {
    expect(
      notificationKind({
        StatusChanged: { proposalId: 12n, status: { Planned: 5n }, response: true },
      }),
    ).toEqual({
      kind: 'StatusChanged',
      proposalId: '12',
      status: { kind: 'Planned', itemId: '5' },
      response: true,
    });
    expect(
      notificationKind({
        StatusChanged: { proposalId: 1n, status: { UnderReview: null }, response: false },
      }),
    ).toMatchObject({ status: { kind: 'UnderReview' }, response: false });
  });

  it('converts hidden and restored content with its reason', () => {
    expect(
      notificationKind({ ContentHidden: { target: { Proposal: 2n }, reason: 'spam' } }),
    ).toEqual({ kind: 'ContentHidden', target: { kind: 'Proposal', id: '2' }, reason: 'spam' });
    expect(
      notificationKind({ ContentRestored: { target: { Comment: 8n }, reason: 'ok' } }),
    ).toEqual({ kind: 'ContentRestored', target: { kind: 'Comment', id: '8' }, reason: 'ok' });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Db } from '../../../../src/backend/domain/db';
import { RateLimiter } from '../../../../src/backend/domain/rate-limits';
import { memoryRecordStores } from '../../../../src/backend/domain/storage/record-store';
import { ADMIN, ALICE, BOB, proposalInput, setup, unwrap } from '../support';

const SECOND = 1_000_000_000n;

describe('rate limits', () => {
  it('never accept more than the limit within any window, across many windows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 1, maxLength: 150 }),
        (gaps) => {
          const app = setup();
          const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
          unwrap(
            app.commons.setSettings(app.as(ADMIN), {
              ...app.commons.getSettings(),
              commentsPerHour: 4,
            }),
          );
          const accepted: number[] = [];
          let elapsed = 0;
          for (const gap of gaps) {
            app.advance(BigInt(gap) * SECOND);
            elapsed += gap;
            const result = app.commons.postComment(app.as(BOB), {
              target: { Proposal: id },
              parentId: [],
              body: 'hi',
            });
            if ('Ok' in result) {
              accepted.push(elapsed);
            } else {
              expect(result.Err).toHaveProperty('RateLimited');
              // refused only when four comments were accepted within the last hour
              expect(
                accepted.filter((time) => time > elapsed - 3600).length,
              ).toBeGreaterThanOrEqual(4);
              const wait =
                'RateLimited' in result.Err ? result.Err.RateLimited.retryAfterSeconds : 0;
              // The wait is exactly until the fourth-newest accepted comment leaves the hour.
              expect(wait).toBe(accepted[accepted.length - 4]! + 3600 - elapsed);
            }
          }
          for (let i = 4; i < accepted.length; i++)
            expect(accepted[i]! - accepted[i - 4]!).toBeGreaterThanOrEqual(3600);
        },
      ),
    );
  });

  it('limit proposals to 5 a day by default and say when to retry', () => {
    const app = setup();
    for (let i = 0; i < 5; i++) {
      unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
      app.advance(60n * SECOND);
    }
    expect(app.commons.submitProposal(app.as(ALICE), proposalInput())).toEqual({
      Err: { RateLimited: { retryAfterSeconds: 86_400 - 300 } },
    });
    // another member is not affected
    unwrap(app.commons.submitProposal(app.as(BOB), proposalInput()));
    app.advance((86_400n - 300n) * SECOND);
    unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
  });

  it('limit votes and profile edits per hour', () => {
    const app = setup();
    unwrap(
      app.commons.setSettings(app.as(ADMIN), {
        ...app.commons.getSettings(),
        votesPerHour: 2,
        profileEditsPerHour: 1,
      }),
    );
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Up: null }]));
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Down: null }]));
    expect(app.commons.voteProposal(app.as(BOB), id, [])).toHaveProperty('Err.RateLimited');
    unwrap(app.commons.setProfile(app.as(BOB), { displayName: 'Bob', bio: '' }));
    expect(app.commons.setProfile(app.as(BOB), { displayName: 'Bobby', bio: '' })).toHaveProperty(
      'Err.RateLimited',
    );
  });

  it('count every recorded action when writes of the same member interleave', () => {
    // A write checks, then records once it has succeeded; an await in between (a call to NNS
    // governance) lets another write of the same member check and record meanwhile.
    const db = new Db(memoryRecordStores());
    const limiter = new RateLimiter(db);
    const at = (second: number) => ({
      caller: BOB,
      callerIsController: false,
      now: BigInt(second) * SECOND,
    });
    const first = at(1_000);
    expect(limiter.check(first, 'profile')).toBeUndefined();
    const second = at(1_001);
    expect(limiter.check(second, 'profile')).toBeUndefined();
    limiter.record(second, 'profile');
    limiter.record(at(1_002), 'profile'); // the first write, resumed after its await
    const max = db.settings().profileEditsPerHour;
    for (let n = 2; n < max; n++) {
      const ctx = at(1_002 + n);
      expect(limiter.check(ctx, 'profile')).toBeUndefined();
      limiter.record(ctx, 'profile');
    }
    // Full: the slot of the oldest recorded edit (at 1,001 s) frees an hour later.
    expect(limiter.check(at(2_000), 'profile')).toEqual({
      Err: { RateLimited: { retryAfterSeconds: 2_601 } },
    });
  });

  it('do not apply to admins', () => {
    const app = setup();
    for (let i = 0; i < 12; i++) unwrap(app.commons.submitProposal(app.as(ADMIN), proposalInput()));
  });
});

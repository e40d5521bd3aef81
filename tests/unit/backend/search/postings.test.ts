import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  ID_LIMIT,
  Postings,
  idOfPosting,
  impactOfPosting,
  postingKey,
} from '../../../../src/backend/domain/search/postings';

describe('Postings', () => {
  it('packs an id and an impact into one key and back', () => {
    fc.assert(
      fc.property(fc.nat(ID_LIMIT - 1), fc.integer({ min: 1, max: 255 }), (id, impact) => {
        const key = postingKey(id, impact);
        expect(idOfPosting(key)).toBe(id);
        expect(impactOfPosting(key)).toBe(impact);
      }),
    );
  });

  it('keeps postings by impact, highest first, then newest first, through inserts and deletes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(10_000), { maxLength: 200 }),
        fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 200, maxLength: 200 }),
        fc.nat(),
        (ids, impacts, cut) => {
          const list = new Postings('t', 0);
          ids.forEach((id, i) => list.insert(id, impacts[i]!));
          const removed = ids.slice(0, cut % (ids.length + 1));
          removed.forEach((id) => list.delete(id, impacts[ids.indexOf(id)]!));
          const kept = ids
            .map((id, i) => ({ id, impact: impacts[i]! }))
            .filter(({ id }) => !removed.includes(id))
            .sort((a, b) => b.impact - a.impact || b.id - a.id);
          const listed = Array.from(list.keys.subarray(0, list.size), (key) => ({
            id: idOfPosting(key),
            impact: impactOfPosting(key),
          }));
          expect(listed).toEqual(kept);
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { LENGTH_EVERY, RecordLists } from '../../../../../src/backend/domain/storage/record-lists';
import { MemoryRecordStore } from '../../../../../src/backend/domain/storage/record-store';

function lists(oftenEmpty = false) {
  const entries = new MemoryRecordStore<string>();
  const lengths = new MemoryRecordStore<number>();
  return { entries, lengths, lists: new RecordLists(entries, lengths, oftenEmpty) };
}

/** A list of `length` entries after an upgrade, and a count of the entry reads made since. */
function upgradedList(name: string, length: number, oftenEmpty = false) {
  const { lists: store, entries } = lists(oftenEmpty);
  for (let i = 0; i < length; i++) store.append(name, `entry ${i}`);
  store.rebuild();
  let reads = 0;
  const get = entries.get.bind(entries);
  entries.get = (key) => (reads++, get(key));
  return { store, reads: () => reads };
}

describe('RecordLists', () => {
  it('keeps every list in order through any sequence of appends and upgrades', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.constant('upgrade')), {
          maxLength: 120,
        }),
        (steps) => {
          const { lists: store } = lists();
          const model = new Map<string, string[]>();
          steps.forEach((step, i) => {
            if (step === 'upgrade') return store.rebuild();
            const list = model.get(step) ?? [];
            expect(store.append(step, `v${i}`)).toBe(list.length);
            model.set(step, [...list, `v${i}`]);
          });
          store.rebuild();
          for (const name of ['a', 'b', 'c', 'never']) {
            const expected = model.get(name) ?? [];
            expect(store.length(name)).toBe(expected.length);
            expect(Array.from({ length: expected.length }, (_, p) => store.at(name, p))).toEqual(
              expected,
            );
          }
        },
      ),
    );
  });

  it('writes a length only with every few entries', () => {
    const { lists: store, lengths } = lists();
    const written: number[] = [];
    for (let i = 0; i < 3 * LENGTH_EVERY; i++) {
      store.append('member', `target ${i}`);
      written.push(lengths.get('member') ?? 0);
    }
    expect(new Set(written)).toEqual(
      new Set([0, LENGTH_EVERY, 2 * LENGTH_EVERY, 3 * LENGTH_EVERY]),
    );
    // After an upgrade the entries past the written length are found again.
    store.append('member', 'one more');
    store.rebuild();
    expect(lengths.get('member')).toBe(3 * LENGTH_EVERY);
    expect(store.length('member')).toBe(3 * LENGTH_EVERY + 1);
    expect(store.append('member', 'after the upgrade')).toBe(3 * LENGTH_EVERY + 1);
  });

  it('finds a length after an upgrade in a few reads, whatever it is', () => {
    for (const oftenEmpty of [false, true]) {
      for (let length = 0; length < 3 * LENGTH_EVERY; length++) {
        const { store, reads } = upgradedList('target', length, oftenEmpty);
        expect(store.length('target')).toBe(length);
        // Lists that are often empty take one read to find they are, one more when not.
        const most = Math.log2(LENGTH_EVERY) + (oftenEmpty ? 2 : 1);
        expect(reads()).toBeLessThanOrEqual(length === 0 && oftenEmpty ? 1 : most);
      }
    }
  });

  it('tells an empty list from one with entries in one read at most, after an upgrade too', () => {
    for (let length = 0; length < 2 * LENGTH_EVERY + 2; length++) {
      const { store, reads } = upgradedList('member', length);
      for (let ask = 0; ask < 3; ask++) expect(store.isEmpty('member')).toBe(length === 0);
      expect(reads()).toBeLessThanOrEqual(1);
      // What it learnt leaves the length and the next append as they were.
      expect(store.length('member')).toBe(length);
      expect(store.append('member', 'next')).toBe(length);
      expect(store.isEmpty('member')).toBe(false);
    }
  });

  it('tells a length below a bound, without a read when a written length reaches it', () => {
    for (let length = 0; length < 3 * LENGTH_EVERY; length++) {
      const { store, reads } = upgradedList('member', length);
      const bound = LENGTH_EVERY;
      expect(store.lengthBelow('member', bound)).toBe(length < bound ? length : undefined);
      if (length >= bound) expect(reads()).toBe(0);
      expect(store.length('member')).toBe(length);
    }
  });

  it('still finds every entry when a length was written further back than it would be', () => {
    const { lists: store, entries, lengths } = lists();
    for (let i = 0; i < 3 * LENGTH_EVERY + 2; i++) store.append('target', `member ${i}`);
    lengths.set('target', LENGTH_EVERY);
    store.rebuild();
    expect(store.length('target')).toBe(3 * LENGTH_EVERY + 2);
    expect(store.append('target', 'next')).toBe(3 * LENGTH_EVERY + 2);
    expect(entries.get(`target/${3 * LENGTH_EVERY + 1}`)).toBe(`member ${3 * LENGTH_EVERY + 1}`);
  });
});

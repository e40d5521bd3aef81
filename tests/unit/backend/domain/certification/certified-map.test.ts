import {
  Cbor,
  lookup_path,
  reconstruct as agentReconstruct,
  type HashTree as AgentTree,
} from '@dfinity/agent';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  CertifiedMap,
  idLabel,
} from '../../../../../src/backend/domain/certification/certified-map';
import {
  fork,
  labeled,
  leaf,
  pruned,
  reconstruct,
  type HashTree,
  EMPTY,
  HashTreeWriter,
} from '../../../../../src/backend/domain/certification/hash-tree';

const WIDTH = 4;
const MAX_REVEALED = 10;

/** Values the map reads, changed by the test as writes would change them. */
class Values {
  readonly map = new Map<number, Uint8Array>();
  set(id: number, v: number): void {
    this.map.set(id, Uint8Array.of(v >>> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255));
  }
  get = (id: number): Uint8Array | undefined => this.map.get(id);
}

/**
 * The reference: the tree over the entries in id order, written from the description (RFC 6962
 * shape: split at the largest power of two below n), hashed by @dfinity/agent.
 */
function referenceTree(entries: Array<[number, Uint8Array]>): HashTree {
  if (entries.length === 0) return EMPTY;
  if (entries.length === 1) {
    const [id, value] = entries[0]!;
    return labeled(idLabel(id), leaf(value));
  }
  let split = 1;
  while (split * 2 < entries.length) split *= 2;
  return fork(referenceTree(entries.slice(0, split)), referenceTree(entries.slice(split)));
}

async function referenceRoot(values: Values): Promise<Uint8Array> {
  const entries = [...values.map].sort(([a], [b]) => a - b);
  return new Uint8Array(await agentReconstruct(referenceTree(entries) as AgentTree));
}

/** The reference witness: every subtree of the reference tree without an asked entry pruned. */
function referenceWitness(tree: HashTree, asked: ReadonlySet<number>): HashTree {
  const reveals = (t: HashTree): boolean => {
    if (t[0] === 1) return reveals(t[1]) || reveals(t[2]);
    if (t[0] === 2) return asked.has(Number(new DataView(t[1].buffer).getBigUint64(0)));
    return false;
  };
  const walk = (t: HashTree): HashTree => {
    if (t[0] === 0) return t;
    if (!reveals(t)) return pruned(reconstruct(t));
    return t[0] === 1 ? fork(walk(t[1]), walk(t[2])) : t;
  };
  return walk(tree);
}

/** The witness as a client reads it: written as CBOR, decoded by @dfinity/agent. */
function witnessOf(map: CertifiedMap, ids: number[]): HashTree {
  const out = new HashTreeWriter();
  map.writeWitness(out, ids);
  return normalize(Cbor.decode(out.finish())) as HashTree;
}

/** Byte strings as Uint8Array (the CBOR decoder may hand out other views). */
function normalize(t: unknown): unknown {
  if (ArrayBuffer.isView(t)) return new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
  if (Array.isArray(t)) return t.map(normalize);
  return t;
}

/** A `stop` that says stop after `steps` checks (0: never), as the instruction counter would. */
function stopAfter(steps: number): () => boolean {
  let left = steps;
  return () => steps > 0 && left-- <= 0;
}

function runToEnd(map: CertifiedMap): void {
  for (let guard = 0; guard < 100_000; guard++) if (map.run(stopAfter(0)) === 'idle') return;
}

type Op =
  { kind: 'add' } | { kind: 'set'; pick: number; value: number } | { kind: 'run'; steps: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: 'add' }),
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: fc.nat() }),
  fc.record({ kind: fc.constant('run' as const), steps: fc.integer({ min: 0, max: 12 }) }),
);

describe('a certified map of fixed-size values', () => {
  it('after any writes and interrupted runs, its root is the root of the tree rebuilt from scratch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        async (ops, gap) => {
          const values = new Values();
          const map = new CertifiedMap(WIDTH, values.get, MAX_REVEALED);
          let nextId = 1;
          for (const o of ops) {
            if (o.kind === 'add') {
              values.set(nextId, nextId * 7);
              map.touch(nextId);
              nextId += gap; // ids in sequence, not always dense
            } else if (o.kind === 'set' && values.map.size > 0) {
              const ids = [...values.map.keys()];
              const id = ids[o.pick % ids.length]!;
              values.set(id, o.value);
              map.touch(id);
            } else if (o.kind === 'run') {
              map.run(stopAfter(o.steps));
            }
          }
          runToEnd(map);
          expect(map.ready()).toBe(true);
          expect(map.root()).toEqual(await referenceRoot(values));
          expect(map.entries()).toBe(values.map.size);

          const fresh = new CertifiedMap(WIDTH, values.get, MAX_REVEALED);
          for (const id of values.map.keys()) fresh.touch(id);
          runToEnd(fresh);
          expect(fresh.root()).toEqual(map.root());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('adopting a rebuilt map’s ids (then writes before its first batch) gives the same root', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.nat({ max: 45 }), { maxLength: 8 }),
        async (count, written) => {
          const values = new Values();
          for (let id = 1; id <= count; id++) values.set(id, id);
          const map = new CertifiedMap(WIDTH, values.get, MAX_REVEALED);
          map.adopt([...values.map.keys()]);
          for (const id of written) {
            values.set(id + 1, 1000 + id); // changed, or new past the end
            map.touch(id + 1);
          }
          runToEnd(map);
          expect(map.ready()).toBe(true);
          expect(map.root()).toEqual(await referenceRoot(values));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('serves the last committed tree while a batch is under way', () => {
    const values = new Values();
    const map = new CertifiedMap(WIDTH, values.get, MAX_REVEALED);
    for (let id = 1; id <= 20; id++) {
      values.set(id, id);
      map.touch(id);
    }
    runToEnd(map);
    const committed = map.root().slice();
    values.set(5, 500);
    map.touch(5);
    values.set(21, 21);
    map.touch(21);
    expect(map.run(stopAfter(3))).toBe('working');
    expect(map.root()).toEqual(committed);
    expect(map.value(5)).toEqual(Uint8Array.of(0, 0, 0, 5));
    expect(map.value(21)).toBeUndefined();
    expect(reconstruct(witnessOf(map, [5, 21, 7]))).toEqual(committed);
    runToEnd(map);
    expect(map.value(5)).toEqual(Uint8Array.of(0, 0, 1, 244));
    expect(map.root()).not.toEqual(committed);
  });

  it('a witness of any entries reconstructs the root and reveals exactly their values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 70 }),
        fc.array(fc.nat({ max: 80 }), { maxLength: 10 }),
        async (count, asked) => {
          const values = new Values();
          const map = new CertifiedMap(WIDTH, values.get, MAX_REVEALED);
          for (let id = 1; id <= count; id++) {
            values.set(id, id * 1000 + 1);
            map.touch(id);
          }
          runToEnd(map);
          const witness = witnessOf(map, asked);
          const entries = [...values.map].sort(([a], [b]) => a - b);
          expect(witness).toEqual(referenceWitness(referenceTree(entries), new Set(asked)));
          expect(reconstruct(witness)).toEqual(map.root());
          expect(new Uint8Array(await agentReconstruct(witness as AgentTree))).toEqual(map.root());
          for (const id of asked) {
            const found = lookup_path([idLabel(id)], witness as AgentTree);
            if (id >= 1 && id <= count) expect(found).toMatchObject({ value: values.get(id) });
            else expect(found.status).not.toBe('Found');
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a witness of more entries than it keeps room for', () => {
    const values = new Values();
    const map = new CertifiedMap(WIDTH, values.get, 2);
    for (let id = 1; id <= 5; id++) {
      values.set(id, id);
      map.touch(id);
    }
    runToEnd(map);
    expect(() => witnessOf(map, [1, 2, 3])).toThrow(/at most 2 entries/);
    expect(witnessOf(map, [1, 1, 4])).toEqual(
      referenceWitness(referenceTree([...values.map].sort(([a], [b]) => a - b)), new Set([1, 4])),
    );
  });

  it('an unchanged value costs no hashing', () => {
    const values = new Values();
    const map = new CertifiedMap(WIDTH, values.get, MAX_REVEALED);
    for (let id = 1; id <= 8; id++) {
      values.set(id, id);
      map.touch(id);
    }
    runToEnd(map);
    map.touch(3);
    let checks = 0;
    expect(map.run(() => (checks++, false))).toBe('committed');
    expect(checks).toBe(1);
  });

  it('is empty, and ready, with no entries', () => {
    const map = new CertifiedMap(WIDTH, () => undefined, MAX_REVEALED);
    expect(map.ready()).toBe(false);
    expect(map.run(() => false)).toBe('committed');
    expect(map.ready()).toBe(true);
    expect(map.root()).toEqual(reconstruct(EMPTY));
    expect(witnessOf(map, [1])).toEqual(EMPTY);
  });
});

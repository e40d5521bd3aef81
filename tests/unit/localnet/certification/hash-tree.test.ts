import { describe, expect, it } from 'vitest';
import { decode } from '@dfinity/cbor';
import { lookup_path, LookupPathStatus, type HashTree as AgentHashTree } from '@dfinity/agent';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import {
  decodeLeb128,
  labeled,
  labeledTreeHash,
  leb128,
  lookupPath,
  reconstruct,
  toHashTree,
  witness,
  type HashTree,
} from '../../../../src/localnet/certification/hash-tree';

// The example tree of the IC interface specification ("Certification", "Example"):
//  ─┬─┬╴"a" ─┬─┬╴"x" ─╴"hello"
//   │ │      │ └╴Empty
//   │ │      └╴  "y" ─╴"world"
//   │ └╴"b" ──╴"good"
//   └─┬╴"c" ──╴Empty
//     └╴"d" ──╴"morning"
const SPEC_CBOR =
  '8301830183024161830183018302417882034568656c6c6f810083024179820345776f726c6483024162820344676f6f648301830241638100830241648203476d6f726e696e67';
const SPEC_ROOT = 'eb5c5b2195e62d996b84c9bcc8259d19a83786a2f59e0878cec84c811f669aa0';

const u = utf8ToBytes;

describe('hash tree', () => {
  it('reconstructs the root hash of the specification test vector', () => {
    const tree = decode(hexToBytes(SPEC_CBOR)) as HashTree;
    expect(bytesToHex(reconstruct(tree))).toBe(SPEC_ROOT);
  });

  it('looks paths up in the specification test vector', () => {
    const tree = decode(hexToBytes(SPEC_CBOR)) as HashTree;
    expect(lookupPath(tree, [u('a'), u('x')])).toEqual({ status: 'found', value: u('hello') });
    expect(lookupPath(tree, [u('d')])).toEqual({ status: 'found', value: u('morning') });
    expect(lookupPath(tree, [u('e')]).status).toBe('absent');
    expect(lookupPath(tree, [u('a'), u('z')]).status).toBe('absent');
  });

  it('changing any leaf changes the root hash', () => {
    const tree = decode(hexToBytes(SPEC_CBOR)) as HashTree;
    const tampered = decode(hexToBytes(SPEC_CBOR.replace('68656c6c6f', '68656c6c70'))) as HashTree;
    expect(bytesToHex(reconstruct(tampered))).not.toBe(bytesToHex(reconstruct(tree)));
  });

  const state = labeled([
    ['time', leb128(1_700_000_000_000_000_000n)],
    [
      'canister',
      labeled([
        [hexToBytes('00000000000000010101'), labeled([['certified_data', u('one')]])],
        [hexToBytes('00000000000000030101'), labeled([['certified_data', u('three')]])],
      ]),
    ],
    ['request_status', labeled([[new Uint8Array(32).fill(7), labeled([['status', u('done')]])]])],
  ]);

  it('witnesses keep the root hash of the full tree', () => {
    const full = toHashTree(state);
    expect(bytesToHex(reconstruct(full))).toBe(bytesToHex(labeledTreeHash(state)));
    for (const paths of [[], [[u('time')]], [[u('canister')]], [[u('request_status')]]]) {
      expect(bytesToHex(reconstruct(witness(state, paths)))).toBe(
        bytesToHex(labeledTreeHash(state)),
      );
    }
  });

  it('reveals requested paths and hides the rest', () => {
    const w = witness(state, [[u('canister'), hexToBytes('00000000000000010101')]]);
    expect(
      lookupPath(w, [u('canister'), hexToBytes('00000000000000010101'), u('certified_data')]),
    ).toEqual({ status: 'found', value: u('one') });
    expect(lookupPath(w, [u('time')]).status).toBe('unknown');
    expect(
      lookupPath(w, [u('canister'), hexToBytes('00000000000000030101'), u('certified_data')])
        .status,
    ).toBe('unknown');
    expect(
      JSON.stringify(w, (_k, v: unknown) => (v instanceof Uint8Array ? bytesToHex(v) : v)),
    ).not.toContain(bytesToHex(u('three')));
  });

  it('prunes everything outside the requested paths: unrequested lookups are unknown', () => {
    const w = witness(state, [[u('time')]]);
    expect(lookupPath(w, [u('time')])).toEqual({
      status: 'found',
      value: leb128(1_700_000_000_000_000_000n),
    });
    // Siblings of /time, existing or not, are not revealed at all (the specification's lookup;
    // the agent compares labels by length first, so it is not the judge of order here).
    for (const path of [[u('canister')], [u('request_status')], [u('subnet')], [u('a')]]) {
      expect(lookupPath(w, path).status).toBe('unknown');
    }
    expect(lookup_path([u('a')], w as unknown as AgentHashTree).status).toBe(
      LookupPathStatus.Unknown,
    );
    const inCanister = witness(state, [[u('canister'), hexToBytes('00000000000000010101')]]);
    expect(lookupPath(inCanister, [u('canister'), hexToBytes('00000000000000050101')]).status).toBe(
      'unknown',
    );
  });

  it('proves absence to the agent by keeping sibling labels', () => {
    const missing = hexToBytes('00000000000000020101');
    const w = witness(state, [[u('canister'), missing]]);
    const agentLookup = lookup_path([u('canister'), missing], w as unknown as AgentHashTree);
    expect(agentLookup.status).toBe(LookupPathStatus.Absent);
    expect(lookupPath(w, [u('canister'), missing]).status).toBe('absent');
  });

  it('encodes naturals as LEB128', () => {
    expect(bytesToHex(leb128(0))).toBe('00');
    expect(bytesToHex(leb128(624485))).toBe('e58e26');
    expect(decodeLeb128(leb128(2n ** 64n + 5n))).toBe(2n ** 64n + 5n);
  });
});

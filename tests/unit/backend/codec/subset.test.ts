import { IDL } from '@dfinity/candid';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CandidError, toIdlValue } from '../../../../src/backend/codec';
import { decodeSubset } from '../../../../src/backend/codec/subset';
import { ListNeuronsResponse, ProposalInfo } from '../../../../src/backend/canister/governance-idl';
import * as Full from '../../../../src/localnet/system/governance-candid';
import { arbitraryOf, wellFormed } from './support';

/** The declared part of a codec value `v` of a wider type: what decodeSubset must return. */
function project(t: IDL.Type, v: unknown): unknown {
  if (t instanceof IDL.OptClass) {
    const opt = v as [] | [unknown];
    return opt.length === 0 ? [] : [project(t._type, opt[0])];
  }
  if (t instanceof IDL.VecClass && !(t._type instanceof IDL.FixedNatClass && t._type._bits === 8)) {
    return (v as unknown[]).map((e) => project(t._type, e));
  }
  if (t instanceof IDL.TupleClass) {
    const components = (t as unknown as { _components: IDL.Type[] })._components;
    return components.map((c, i) => project(c, (v as unknown[])[i]));
  }
  if (t instanceof IDL.RecordClass) {
    const record = v as Record<string, unknown>;
    return Object.fromEntries(t._fields.map(([name, f]) => [name, project(f, record[name])]));
  }
  return v;
}

function encode(full: IDL.Type, value: unknown): Uint8Array {
  return new Uint8Array(IDL.encode([full], [toIdlValue(full, value)]));
}

describe('decodeSubset', () => {
  it.each([
    ['list_neurons', Full.ListNeuronsResponse, ListNeuronsResponse],
    ['get_proposal_info', IDL.Opt(Full.ProposalInfo), IDL.Opt(ProposalInfo)],
  ])('reads the declared part of any %s reply, skipping the rest', (_name, full, subset) => {
    fc.assert(
      fc.property(arbitraryOf(full), (value) => {
        const [decoded] = decodeSubset([subset], encode(full, value));
        expect(decoded).toEqual(project(subset, wellFormed(value)));
      }),
      { numRuns: 60 },
    );
  });

  it('reads a declared opt field the reply leaves out as absent', () => {
    const older = IDL.Record({ voting_power: IDL.Nat64, dissolve_delay_seconds: IDL.Nat64 });
    const bytes = encode(older, { voting_power: 5n, dissolve_delay_seconds: 9n });
    const declared = IDL.Record({
      voting_power: IDL.Nat64,
      deciding_voting_power: IDL.Opt(IDL.Nat64),
    });
    expect(decodeSubset([declared], bytes)).toEqual([
      { voting_power: 5n, deciding_voting_power: [] },
    ]);
  });

  it('refuses a reply whose types do not match, or that is cut short, with a CandidError', () => {
    const bytes = encode(IDL.Record({ status: IDL.Text }), { status: 'open' });
    expect(() => decodeSubset([IDL.Record({ status: IDL.Int32 })], bytes)).toThrow(CandidError);
    expect(() => decodeSubset([IDL.Record({ missing: IDL.Nat64 })], bytes)).toThrow(CandidError);
    expect(() => decodeSubset([IDL.Record({ status: IDL.Text })], bytes.slice(0, -2))).toThrow(
      CandidError,
    );
    expect(() => decodeSubset([IDL.Text], new Uint8Array([1, 2, 3]))).toThrow(CandidError);
  });
});

/**
 * Decodes a candid message from another canister into the parts a caller declared, skipping the
 * rest without decoding it: candid's record subtyping, so a reply that carries fields the
 * caller does not know (mainnet's governance adds some every few months) still decodes.
 *
 * `@dfinity/candid`'s IDL.decode does the same but builds every value of the message first; for
 * NNS governance's `list_neurons` and `get_proposal_info` replies, in this runtime, that costs
 * tens of millions of instructions. This reads the type table, then walks the values once,
 * building only what the declared types ask for. Values take the codec's forms (principals as
 * PrincipalId byte strings, nat64 as bigint, nat32 as number).
 *
 * Supported wire types: every primitive, opt, vec, record (and tuples), variant. A declared
 * field missing from the wire is `[]` when it is an opt and an error otherwise.
 */
import { IDL, idlLabelToId } from '@dfinity/candid';

import { malformed } from './errors';
import { Reader } from './reader';

/** Candid's type opcodes (negative: primitives and constructors). */
const Op = {
  Null: -1,
  Bool: -2,
  Nat: -3,
  Int: -4,
  Nat8: -5,
  Nat16: -6,
  Nat32: -7,
  Nat64: -8,
  Int8: -9,
  Int16: -10,
  Int32: -11,
  Int64: -12,
  Float32: -13,
  Float64: -14,
  Text: -15,
  Reserved: -16,
  Empty: -17,
  Opt: -18,
  Vec: -19,
  Record: -20,
  Variant: -21,
  Principal: -24,
} as const;

/** A wire type: a primitive opcode, or a table entry with its inner type or fields. */
type Wire = { op: number; inner?: Wire; fields?: Array<{ hash: number; type: Wire }> };

function readSleb(r: Reader): number {
  const value = r.slebBig();
  if (value < -1000n || value > 1_000_000n) throw malformed('type reference out of range');
  return Number(value);
}

function readTable(r: Reader): { table: Wire[]; args: Wire[] } {
  const magic = r.slice(4);
  if (magic[0] !== 0x44 || magic[1] !== 0x49 || magic[2] !== 0x44 || magic[3] !== 0x4c) {
    throw malformed('not a candid message');
  }
  type Raw = { op: number; inner?: number; fields?: Array<[number, number]> };
  const raws: Raw[] = [];
  for (let n = r.leb(), i = 0; i < n; i++) {
    const op = readSleb(r);
    if (op === Op.Opt || op === Op.Vec) raws.push({ op, inner: readSleb(r) });
    else if (op === Op.Record || op === Op.Variant) {
      const fields: Array<[number, number]> = [];
      for (let k = r.leb(), j = 0; j < k; j++) fields.push([r.leb(), readSleb(r)]);
      raws.push({ op, fields });
    } else throw malformed(`unsupported type ${op} in a reply`);
  }
  const table: Wire[] = raws.map((raw) => ({ op: raw.op }));
  const resolve = (ref: number): Wire => {
    if (ref >= 0) {
      const entry = table[ref];
      if (entry === undefined) throw malformed('type reference out of range');
      return entry;
    }
    if (ref < Op.Principal || ref === -22 || ref === -23)
      throw malformed(`unsupported type ${ref}`);
    return { op: ref };
  };
  raws.forEach((raw, i) => {
    const entry = table[i]!;
    if (raw.inner !== undefined) entry.inner = resolve(raw.inner);
    if (raw.fields !== undefined) {
      entry.fields = raw.fields.map(([hash, type]) => ({ hash, type: resolve(type) }));
    }
  });
  const args: Wire[] = [];
  for (let n = r.leb(), i = 0; i < n; i++) args.push(resolve(readSleb(r)));
  return { table, args };
}

/** Moves past a value of wire type `w`. */
function skip(r: Reader, w: Wire, depth = 0): void {
  if (depth > 64) throw malformed('values nested too deeply');
  switch (w.op) {
    case Op.Null:
    case Op.Reserved:
      return;
    case Op.Empty:
      throw malformed('a value of type empty');
    case Op.Bool:
    case Op.Nat8:
    case Op.Int8:
      r.slice(1);
      return;
    case Op.Nat16:
    case Op.Int16:
      r.slice(2);
      return;
    case Op.Nat32:
    case Op.Int32:
    case Op.Float32:
      r.slice(4);
      return;
    case Op.Nat64:
    case Op.Int64:
    case Op.Float64:
      r.slice(8);
      return;
    case Op.Nat:
    case Op.Int:
      while (r.byte() >= 0x80);
      return;
    case Op.Text:
      r.slice(r.leb());
      return;
    case Op.Principal:
      if (r.byte() !== 1) throw malformed('opaque principal reference');
      r.slice(r.leb());
      return;
    case Op.Opt:
      if (r.byte() === 1) skip(r, w.inner!, depth + 1);
      return;
    case Op.Vec: {
      const n = r.leb();
      if (w.inner!.op === Op.Nat8 || w.inner!.op === Op.Int8) {
        r.slice(n);
        return;
      }
      for (let i = 0; i < n; i++) skip(r, w.inner!, depth + 1);
      return;
    }
    case Op.Record:
      for (const field of w.fields!) skip(r, field.type, depth + 1);
      return;
    case Op.Variant: {
      const field = w.fields![r.leb()];
      if (field === undefined) throw malformed('variant index out of range');
      skip(r, field.type, depth + 1);
      return;
    }
  }
}

function mismatch(expected: IDL.Type): Error {
  return malformed(`the reply does not match ${expected.display().slice(0, 40)}`);
}

/** Reads a value of wire type `w` as the declared type `t`. */
function read(r: Reader, t: IDL.Type, w: Wire, depth = 0): unknown {
  if (depth > 64) throw malformed('values nested too deeply');
  if (t instanceof IDL.OptClass) {
    if (w.op === Op.Null || w.op === Op.Reserved) return [];
    if (w.op !== Op.Opt) return [read(r, t._type, w, depth + 1)];
    return r.byte() === 1 ? [read(r, t._type, w.inner!, depth + 1)] : [];
  }
  if (t instanceof IDL.VecClass) {
    if (w.op !== Op.Vec) throw mismatch(t);
    if (t._type instanceof IDL.FixedNatClass && t._type._bits === 8) return r.blob();
    const n = r.leb();
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(read(r, t._type, w.inner!, depth + 1));
    return out;
  }
  if (t instanceof IDL.TupleClass) {
    if (w.op !== Op.Record) throw mismatch(t);
    const components = (t as unknown as { _components: IDL.Type[] })._components;
    const out: unknown[] = new Array(components.length);
    for (const field of w.fields!) {
      const declared = components[field.hash];
      if (declared === undefined) skip(r, field.type, depth + 1);
      else out[field.hash] = read(r, declared, field.type, depth + 1);
    }
    components.forEach((c, i) => {
      if (!(i in out)) out[i] = missing(c);
    });
    return out;
  }
  if (t instanceof IDL.RecordClass) {
    if (w.op !== Op.Record) throw mismatch(t);
    const declared = fieldsByHash(t);
    const out: Record<string, unknown> = {};
    for (const field of w.fields!) {
      const d = declared.get(field.hash);
      if (d === undefined) skip(r, field.type, depth + 1);
      else out[d.name] = read(r, d.type, field.type, depth + 1);
    }
    for (const [name, type] of t._fields) if (!(name in out)) out[name] = missing(type);
    return out;
  }
  if (t instanceof IDL.VariantClass) {
    if (w.op !== Op.Variant) throw mismatch(t);
    const field = w.fields![r.leb()];
    if (field === undefined) throw malformed('variant index out of range');
    const d = t._fields.find(([name]) => idlLabelToId(name) === field.hash);
    if (d === undefined) throw malformed('a variant case the caller does not know');
    return { [d[0]]: read(r, d[1], field.type, depth + 1) };
  }
  return primitive(r, t, w);
}

const byHash = new WeakMap<IDL.RecordClass, Map<number, { name: string; type: IDL.Type }>>();

/** A declared record's fields by label hash, worked out once per type. */
function fieldsByHash(t: IDL.RecordClass): Map<number, { name: string; type: IDL.Type }> {
  let fields = byHash.get(t);
  if (fields === undefined) {
    fields = new Map(t._fields.map(([name, type]) => [idlLabelToId(name), { name, type }]));
    byHash.set(t, fields);
  }
  return fields;
}

function missing(t: IDL.Type): unknown {
  if (t instanceof IDL.OptClass) return [];
  throw malformed(`the reply lacks a ${t.display().slice(0, 40)}`);
}

function primitive(r: Reader, t: IDL.Type, w: Wire): unknown {
  const [op, get] = primitiveOf(t);
  if (w.op !== op) throw mismatch(t);
  return get(r);
}

function primitiveOf(t: IDL.Type): [number, (r: Reader) => unknown] {
  if (t instanceof IDL.TextClass) return [Op.Text, (r) => r.text()];
  if (t instanceof IDL.BoolClass) return [Op.Bool, (r) => r.byte() === 1];
  if (t instanceof IDL.PrincipalClass) return [Op.Principal, (r) => r.principal()];
  if (t instanceof IDL.NullClass) return [Op.Null, () => null];
  if (t instanceof IDL.NatClass) return [Op.Nat, (r) => r.lebBig()];
  if (t instanceof IDL.IntClass) return [Op.Int, (r) => r.slebBig()];
  if (t instanceof IDL.FixedNatClass) {
    if (t._bits === 8) return [Op.Nat8, (r) => r.u8()];
    if (t._bits === 16) return [Op.Nat16, (r) => r.u16()];
    if (t._bits === 32) return [Op.Nat32, (r) => r.u32()];
    return [Op.Nat64, (r) => r.u64()];
  }
  if (t instanceof IDL.FixedIntClass) {
    if (t._bits === 8) return [Op.Int8, (r) => r.i8()];
    if (t._bits === 16) return [Op.Int16, (r) => r.i16()];
    if (t._bits === 32) return [Op.Int32, (r) => r.i32()];
    return [Op.Int64, (r) => r.i64()];
  }
  if (t instanceof IDL.FloatClass) {
    return t._bits === 32 ? [Op.Float32, (r) => r.f32()] : [Op.Float64, (r) => r.f64()];
  }
  throw malformed(`cannot read ${t.display().slice(0, 40)}`);
}

/** The declared parts of a reply whose wire types may hold more (see the module comment). */
export function decodeSubset(types: readonly IDL.Type[], bytes: Uint8Array): unknown[] {
  const r = new Reader(bytes);
  const { args } = readTable(r);
  if (args.length < types.length) throw malformed('too few values in the reply');
  const out = types.map((t, i) => read(r, t, args[i]!));
  for (let i = types.length; i < args.length; i++) skip(r, args[i]!);
  if (r.remaining !== 0) throw malformed('trailing bytes after the reply');
  return out;
}

/**
 * Whole candid messages (arguments and replies) and bare values. The header (`DIDL`, type
 * table, argument types) depends only on the types, so it is worked out once per types array,
 * by @dfinity/candid itself, and cached; each call then only writes or reads values with the
 * generated code of generate.ts.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { Encoded } from './encoded';
import { codecFor, type Codec } from './generate';
import { CandidError, malformed } from './errors';
import { fromIdlValue } from './principal';
import { Reader } from './reader';
import {
  binaryToBytes,
  bytesToBinary,
  everyTextWasPrintable,
  shortAsciiTextValue,
  startTextVerdict,
} from './utf8';
import { Writer } from './writer';

type Plan = {
  codecs: Codec[];
  /** The canonical header: what IDL.encode (and so @dfinity/agent) writes for these types. */
  header: Uint8Array;
  /** The header as a binary string, so comparing it is one native string comparison. */
  headerBinary: string;
  /** Every type is `opt`: an empty message or `DIDL\0\0` decodes to all-absent values. */
  allOpt: boolean;
};

const plans = new WeakMap<IDL.Type[], Plan>();

class NoValue extends Error {}

/**
 * Builds the smallest value of a type, in @dfinity/candid's own shape (Principal objects), so
 * that `IDL.encode` can be run once per types array and its header cut off.
 */
class Sampler extends IDL.Visitor<null, unknown> {
  private readonly open = new Set<IDL.Type>();

  sample(t: IDL.Type): unknown {
    return t.accept(this, null);
  }
  override visitType(): unknown {
    throw new NoValue();
  }
  override visitBool(): unknown {
    return false;
  }
  override visitNull(): unknown {
    return null;
  }
  override visitReserved(): unknown {
    return null;
  }
  override visitText(): unknown {
    return '';
  }
  override visitInt(): unknown {
    return 0n;
  }
  override visitNat(): unknown {
    return 0n;
  }
  override visitFloat(): unknown {
    return 0;
  }
  override visitFixedInt(t: IDL.FixedIntClass): unknown {
    return t._bits === 64 ? 0n : 0;
  }
  override visitFixedNat(t: IDL.FixedNatClass): unknown {
    return t._bits === 64 ? 0n : 0;
  }
  override visitPrincipal(): unknown {
    return Principal.anonymous();
  }
  override visitVec<T>(_t: IDL.VecClass<T>, element: IDL.Type<T>): unknown {
    return element instanceof IDL.FixedNatClass && element._bits === 8 ? new Uint8Array(0) : [];
  }
  override visitOpt(): unknown {
    return [];
  }
  override visitRecord(_t: IDL.RecordClass, fields: Array<[string, IDL.Type]>): unknown {
    const out: Record<string, unknown> = {};
    for (const [name, type] of fields) out[name] = this.sample(type);
    return out;
  }
  override visitTuple<T extends unknown[]>(_t: IDL.TupleClass<T>, components: IDL.Type[]): unknown {
    return components.map((c) => this.sample(c));
  }
  override visitVariant(_t: IDL.VariantClass, fields: Array<[string, IDL.Type]>): unknown {
    for (const [name, type] of fields) {
      try {
        return { [name]: this.sample(type) };
      } catch (e) {
        if (!(e instanceof NoValue)) throw e;
      }
    }
    throw new NoValue();
  }
  override visitRec<T>(t: IDL.RecClass<T>, inner: IDL.ConstructType<T>): unknown {
    if (this.open.has(t)) throw new NoValue();
    this.open.add(t);
    try {
      return this.sample(inner);
    } finally {
      this.open.delete(t);
    }
  }
}

function planFor(types: IDL.Type[]): Plan {
  const known = plans.get(types);
  if (known !== undefined) return known;
  const codecs = types.map((t) => codecFor(t));
  const sampler = new Sampler();
  const samples = types.map((t) => sampler.sample(t));
  const full = new Uint8Array(IDL.encode(types, samples));
  // The same sample through our codec (no native text encoder: texts are empty anyway).
  const w = new Writer(64, undefined);
  types.forEach((t, i) => codecs[i]!.encode(w, fromIdlValue(t, samples[i])));
  const values = w.finish();
  const headerLength = full.length - values.length;
  const header = full.slice(0, headerLength);
  if (headerLength < 6 || bytesToBinary(full.subarray(headerLength)) !== bytesToBinary(values)) {
    // Our value bytes differ from @dfinity/candid's: a bug in this codec, not bad input.
    throw new Error('codec: value encoding disagrees with @dfinity/candid');
  }
  const plan: Plan = {
    codecs,
    header,
    headerBinary: bytesToBinary(header),
    allOpt: types.every((t) => t instanceof IDL.OptClass),
  };
  plans.set(types, plan);
  return plan;
}

/**
 * A full reply (or argument) message, byte for byte what `IDL.encode(types, values)` gives
 * with principals as Principal objects. `types` should be a long-lived array (the header is
 * cached by its identity).
 */
export function encodeReply(types: IDL.Type[], values: unknown[]): Uint8Array {
  const plan = planFor(types);
  if (values.length !== types.length) throw new CandidError('cannot encode: wrong value count');
  const w = new Writer(plan.header.length + 256);
  w.bytes(plan.header);
  const codecs = plan.codecs;
  try {
    for (let i = 0; i < codecs.length; i++) codecs[i]!.encode(w, values[i]);
  } catch (e) {
    if (e instanceof CandidError) throw e;
    throw new CandidError('cannot encode: value does not match its type');
  }
  return w.finish();
}

/** A decode failure as the caller may see it. */
function asCandidError(e: unknown): CandidError {
  if (e instanceof CandidError) return e;
  // A RangeError from nesting deeper than the JS stack, or similar: still the input's fault.
  return malformed('value cannot be decoded');
}

function readValues(codecs: Codec[], r: Reader): unknown[] {
  const out: unknown[] = [];
  try {
    for (let i = 0; i < codecs.length; i++) out.push(codecs[i]!.decode(r));
  } catch (e) {
    throw asCandidError(e);
  }
  if (r.pos !== r.end) throw malformed('trailing bytes');
  return out;
}

/** The first line of a @dfinity/candid error, bounded: it can quote input but never a stack. */
function shortReason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 80 ? line.slice(0, 80) + '…' : line || 'undecodable';
}

function isEmptyMessage(bytes: Uint8Array): boolean {
  return bytes.length === 0 || (bytes.length === 6 && bytesToBinary(bytes) === 'DIDL\x00\x00');
}

/**
 * Decodes argument bytes. When the header is the canonical one for `types` (what @dfinity/agent
 * sends for the same types), the values are read by the compiled codecs; any other header
 * (subtypes, another type-table order, other clients) goes through `IDL.decode`, which
 * implements candid's subtyping rules. Every failure is a CandidError with a short message.
 */
export function decodeArgs(types: IDL.Type[], bytes: Uint8Array): unknown[] {
  argumentsPrintable = false;
  const plan = planFor(types);
  const h = plan.header.length;
  if (bytes.length >= h && bytesToBinary(bytes.subarray(0, h)) === plan.headerBinary) {
    startTextVerdict();
    const values = readValues(plan.codecs, new Reader(bytes, h));
    argumentsPrintable = everyTextWasPrintable();
    return values;
  }
  if (plan.allOpt && isEmptyMessage(bytes)) return types.map(() => []);
  if (bytes.length < 4 || bytesToBinary(bytes.subarray(0, 4)) !== 'DIDL') {
    throw malformed('missing DIDL magic');
  }
  // IDL.decode's texts are not looked at here: no verdict about them.
  return decodeFallback(types, bytes);
}

/** See `takeArgumentsVerdict`. */
let argumentsPrintable = false;

/**
 * Whether every text in the arguments the last decodeArgs returned is printable ASCII (tabs,
 * newlines and U+0020–U+007E); false when it did not look (the IDL.decode fallback, a failed
 * decode) and after the first call, which takes the verdict, so that it cannot outlive the
 * arguments it is about.
 */
export function takeArgumentsVerdict(): boolean {
  const verdict = argumentsPrintable;
  argumentsPrintable = false;
  return verdict;
}

/** What a missing trailing argument of this type reads as (candid: opt → none), if it may be missing. */
function absentValue(t: IDL.Type): { value: unknown } | undefined {
  if (t instanceof IDL.OptClass) return { value: [] };
  if (t instanceof IDL.NullClass || t instanceof IDL.ReservedClass) return { value: null };
  return undefined;
}

/**
 * `IDL.decode`, plus candid's rule for short argument lists, which it lacks: a message with
 * fewer values than `types` is accepted when every missing one is `opt` (or null / reserved),
 * and those read as absent. IDL.decode refuses such a message outright, so the types are
 * shortened one trailing optional type at a time until it accepts; rare inputs only.
 */
function decodeFallback(types: IDL.Type[], bytes: Uint8Array): unknown[] {
  let count = types.length;
  let first: unknown;
  for (;;) {
    try {
      const decoded = IDL.decode(types.slice(0, count), bytes);
      return types.map((t, i) => (i < count ? fromIdlValue(t, decoded[i]) : absentValue(t)!.value));
    } catch (e) {
      if (first === undefined) first = e;
      const tooFew = e instanceof Error && e.message === 'Wrong number of return values';
      if (!tooFew || count === 0 || absentValue(types[count - 1]!) === undefined) {
        throw malformed(shortReason(first));
      }
      count--;
    }
  }
}

/** Value bytes only (no header): for records kept in stable memory under a known type. */
export function encodeValue(type: IDL.Type, value: unknown): Uint8Array {
  // A write encodes several records; one writer serves them in turn (making one and its
  // buffer cost ≈ 20,000 instructions). Taken while in use, so a nested call makes its own.
  const w = spareWriter ?? new Writer();
  spareWriter = undefined;
  try {
    try {
      codecFor(type).encode(w, value);
    } catch (e) {
      if (e instanceof CandidError) throw e;
      throw new CandidError('cannot encode: value does not match its type');
    }
    return w.finish();
  } finally {
    w.reset();
    // A buffer grown for a long body is not kept: it would be copied from on every grow.
    if (w.buf.length <= SPARE_WRITER_BYTES) spareWriter = w;
  }
}

const SPARE_WRITER_BYTES = 4096;
let spareWriter: Writer | undefined;

/** The value bytes of `value` as an `Encoded`, to stand in for it in any later encode. */
export function encoded(type: IDL.Type, value: unknown): Encoded {
  return new Encoded(encodeValue(type, value));
}

export type DecodeOptions = {
  /**
   * Texts come back as `Encoded` (views into `bytes`, neither decoded nor UTF-8-checked), to be
   * passed on into a reply as they are. Only for bytes this canister wrote (stable records).
   */
  rawText?: boolean;
};

/** Reads what `encodeValue(type, …)` wrote; the bytes must hold exactly one value. */
export function decodeValue(type: IDL.Type, bytes: Uint8Array, options?: DecodeOptions): unknown {
  const raw = options !== undefined && options.rawText === true;
  if (!raw && type instanceof IDL.TextClass) {
    const text = shortAsciiTextValue(bytes);
    if (text !== undefined) return text;
  }
  const codec = codecFor(type);
  const r = new Reader(bytes);
  let value: unknown;
  try {
    value = raw ? codec.decodeRaw(r) : codec.decode(r);
  } catch (e) {
    throw asCandidError(e);
  }
  if (r.pos !== r.end) throw malformed('trailing bytes');
  return value;
}

/** The canonical header for `types` (tests, diagnostics). */
export function canonicalHeader(types: IDL.Type[]): Uint8Array {
  return planFor(types).header.slice();
}

/**
 * The canonical headers of `lists` as binary strings (one char per byte), for the build to
 * write out with the precompiled codecs; computing them needs @dfinity/candid's IDL.encode,
 * which costs ≈ 0.2 B instructions for the whole contract inside the canister.
 */
export function precomputedHeaders(lists: IDL.Type[][]): string[] {
  return lists.map((types) => planFor(types).headerBinary);
}

/**
 * Takes the headers `precomputedHeaders` gave for the same lists, in the same order, so that
 * no plan is worked out in the canister. The codecs of the types must be installed first.
 */
export function installHeaders(lists: IDL.Type[][], headers: readonly string[]): void {
  if (lists.length !== headers.length) {
    throw new Error(`codec: ${headers.length} precomputed headers for ${lists.length} type lists`);
  }
  lists.forEach((types, i) => {
    const headerBinary = headers[i]!;
    plans.set(types, {
      codecs: types.map((t) => codecFor(t)),
      header: binaryToBytes(headerBinary),
      headerBinary,
      allOpt: types.every((t) => t instanceof IDL.OptClass),
    });
  });
}

/** Whether `decodeArgs` would take the compiled fast path for these bytes (tests, metrics). */
export function isCanonical(types: IDL.Type[], bytes: Uint8Array): boolean {
  const plan = planFor(types);
  const h = plan.header.length;
  return bytes.length >= h && bytesToBinary(bytes.subarray(0, h)) === plan.headerBinary;
}

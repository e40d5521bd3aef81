/**
 * Principals as the codec's values carry them: a binary string, one char per byte. Strings are
 * cheap to compare, hash and use as Map keys in QuickJS, and going between bytes and this form
 * is one native call (String.fromCharCode.apply), whereas `Principal.toText()` / `fromText()`
 * cost ≈ 0.7 M / 1.8 M instructions in the canister (CRC32 + base32 in JS).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { principalIdFromBytes, type PrincipalId } from '../domain/model';
import { binaryToBytes } from './utf8';

// The domain defines the form; the codec reads and writes it.
export { principalIdFromBytes, type PrincipalId };

// Writing a principal means turning chars back into bytes, a JS loop at ≈ 2,500 instructions a
// byte (≈ 70 K for a 29-byte principal), against ≈ 9 K for a Map lookup. Queries cannot keep
// what they cache (their heap changes are dropped), so the bytes of every principal read from
// bytes are remembered too (`rememberPrincipalBytes`): post_upgrade reads every member's (as
// authors, commenters, profiles) and updates read each new one, and a reply or a record key then
// never converts a known member. Bounded (≈ 150 bytes an entry) so that principals seen once
// cannot grow it without limit.
const bytesCache = new Map<string, Uint8Array>();
export const PRINCIPAL_BYTES_REMEMBERED = 250_000;

function remember(id: string, bytes: Uint8Array): void {
  if (bytesCache.size >= PRINCIPAL_BYTES_REMEMBERED) bytesCache.clear();
  bytesCache.set(id, bytes);
}

/** The principal's bytes. The returned array is shared: never write to it. */
export function principalIdToBytes(id: PrincipalId | string): Uint8Array {
  const cached = bytesCache.get(id);
  if (cached !== undefined) return cached;
  const bytes = binaryToBytes(id);
  remember(id, bytes);
  return bytes;
}

/** Remembers the bytes `id` was read from (copied: the caller's array may change). */
export function rememberPrincipalBytes(id: PrincipalId, bytes: Uint8Array): void {
  if (!bytesCache.has(id)) remember(id, bytes.slice());
}

/** For tests and rare paths (text costs ≈ 1.8 M instructions in the canister). */
export function principalIdFromText(text: string): PrincipalId {
  return principalIdFromBytes(Principal.fromText(text).toUint8Array());
}

/** For tests and rare paths (text costs ≈ 0.7 M instructions in the canister). */
export function principalIdToText(id: PrincipalId): string {
  return Principal.fromUint8Array(principalIdToBytes(id)).toText();
}

export function principalIdFromPrincipal(principal: Principal): PrincipalId {
  return principalIdFromBytes(principal.toUint8Array());
}

export function principalIdToPrincipal(id: PrincipalId): Principal {
  return Principal.fromUint8Array(principalIdToBytes(id).slice());
}

type Direction = 'toIdl' | 'fromIdl';

/**
 * Converts between the codec's values and @dfinity/candid's (Principal objects) by walking the
 * type. Used where @dfinity/candid itself runs: the decode fallback for non-canonical headers,
 * the header sample, tests. Not on the fast paths.
 */
class PrincipalConverter extends IDL.Visitor<unknown, unknown> {
  constructor(private readonly direction: Direction) {
    super();
  }

  override visitType<T>(_t: IDL.Type<T>, data: unknown): unknown {
    return data;
  }

  override visitPrincipal(_t: IDL.PrincipalClass, data: unknown): unknown {
    return this.direction === 'toIdl'
      ? principalIdToPrincipal(data as PrincipalId)
      : principalIdFromPrincipal(data as Principal);
  }

  override visitVec<T>(_t: IDL.VecClass<T>, elementType: IDL.Type<T>, data: unknown): unknown {
    if (!Array.isArray(data)) return data; // typed arrays hold numbers only
    return data.map((element: unknown) => elementType.accept(this, element));
  }

  override visitOpt<T>(_t: IDL.OptClass<T>, innerType: IDL.Type<T>, data: unknown): unknown {
    const opt = data as unknown[];
    return opt.length === 0 ? [] : [innerType.accept(this, opt[0])];
  }

  override visitRecord(
    _t: IDL.RecordClass,
    fields: Array<[string, IDL.Type]>,
    data: unknown,
  ): unknown {
    const record = data as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, fieldType] of fields) out[name] = fieldType.accept(this, record[name]);
    return out;
  }

  override visitTuple<T extends unknown[]>(
    _t: IDL.TupleClass<T>,
    components: IDL.Type[],
    data: unknown,
  ): unknown {
    const tuple = data as unknown[];
    return components.map((component, i) => component.accept(this, tuple[i]));
  }

  override visitVariant(
    _t: IDL.VariantClass,
    fields: Array<[string, IDL.Type]>,
    data: unknown,
  ): unknown {
    const variant = data as Record<string, unknown>;
    for (const [name, fieldType] of fields) {
      if (Object.prototype.hasOwnProperty.call(variant, name)) {
        return { [name]: fieldType.accept(this, variant[name]) };
      }
    }
    return data;
  }

  override visitRec<T>(_t: IDL.RecClass<T>, inner: IDL.ConstructType<T>, data: unknown): unknown {
    return inner.accept(this, data);
  }
}

const toIdl = new PrincipalConverter('toIdl');
const fromIdl = new PrincipalConverter('fromIdl');

/** A codec value as @dfinity/candid wants it (PrincipalId → Principal). */
export function toIdlValue(type: IDL.Type, value: unknown): unknown {
  return type.accept(toIdl, value);
}

/** A @dfinity/candid value as the codec carries it (Principal → PrincipalId). */
export function fromIdlValue(type: IDL.Type, value: unknown): unknown {
  return type.accept(fromIdl, value);
}

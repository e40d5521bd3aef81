/**
 * Compiles an IDL type, once, into a pair of closures that write and read the VALUE part of its
 * candid encoding. In QuickJS each JS operation costs ≈ 1,000 instructions, so the per-value
 * work must be a straight call chain of small closures chosen up front, not a visitor or
 * interpreter dispatching on the type for every value (which is what makes @dfinity/candid cost
 * 10–200 M per message in the canister).
 *
 * Values follow @dfinity/candid's JS mapping except principals, which are PrincipalIds.
 */
import { IDL, idlLabelToId } from '@dfinity/candid';

import { CandidError, malformed } from './errors';
import { principalIdFromBytes, principalIdToBytes, type PrincipalId } from './principal';
import type { Reader } from './reader';
import type { Writer } from './writer';

export interface Codec {
  encode(w: Writer, value: unknown): void;
  decode(r: Reader): unknown;
  /** Whether a value takes no bytes (null, reserved, records of those): bounds vec lengths. */
  readonly zeroSized: boolean;
}

/** Vec lengths of zero-sized elements cannot be checked against the bytes left; cap them. */
const MAX_ZERO_SIZED_VEC = 100_000;

const cannot = (what: string) => new CandidError('cannot encode ' + what);

function toBigInt(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  throw cannot(what);
}

function fixedNat(bits: number): Codec {
  switch (bits) {
    case 8:
      return {
        zeroSized: false,
        encode: (w, v) => {
          const n = typeof v === 'bigint' ? Number(v) : (v as number);
          if ((n & 0xff) !== n) throw cannot('nat8');
          w.byte(n);
        },
        decode: (r) => r.u8(),
      };
    case 16:
      return {
        zeroSized: false,
        encode: (w, v) => {
          const n = typeof v === 'bigint' ? Number(v) : (v as number);
          if ((n & 0xffff) !== n) throw cannot('nat16');
          w.u16(n);
        },
        decode: (r) => r.u16(),
      };
    case 32:
      return {
        zeroSized: false,
        encode: (w, v) => {
          const n = typeof v === 'bigint' ? Number(v) : (v as number);
          if (n >>> 0 !== n) throw cannot('nat32');
          w.u32(n);
        },
        decode: (r) => r.u32(),
      };
    case 64:
      return {
        zeroSized: false,
        encode: (w, v) => {
          const n = toBigInt(v, 'nat64');
          if (BigInt.asUintN(64, n) !== n) throw cannot('nat64');
          w.u64(n);
        },
        decode: (r) => r.u64(),
      };
  }
  throw new Error('unsupported nat width');
}

function fixedInt(bits: number): Codec {
  switch (bits) {
    case 8:
      return {
        zeroSized: false,
        encode: (w, v) => {
          const n = typeof v === 'bigint' ? Number(v) : (v as number);
          if ((n << 24) >> 24 !== n) throw cannot('int8');
          w.i8(n);
        },
        decode: (r) => r.i8(),
      };
    case 16:
      return {
        zeroSized: false,
        encode: (w, v) => {
          const n = typeof v === 'bigint' ? Number(v) : (v as number);
          if ((n << 16) >> 16 !== n) throw cannot('int16');
          w.i16(n);
        },
        decode: (r) => r.i16(),
      };
    case 32:
      return {
        zeroSized: false,
        encode: (w, v) => {
          const n = typeof v === 'bigint' ? Number(v) : (v as number);
          if ((n | 0) !== n) throw cannot('int32');
          w.i32(n);
        },
        decode: (r) => r.i32(),
      };
    case 64:
      return {
        zeroSized: false,
        encode: (w, v) => {
          const n = toBigInt(v, 'int64');
          if (BigInt.asIntN(64, n) !== n) throw cannot('int64');
          w.i64(n);
        },
        decode: (r) => r.i64(),
      };
  }
  throw new Error('unsupported int width');
}

const NAT: Codec = {
  zeroSized: false,
  encode: (w, v) => {
    const n = toBigInt(v, 'nat');
    if (n < 0n) throw cannot('nat');
    w.lebBig(n);
  },
  decode: (r) => r.lebBig(),
};

const INT: Codec = {
  zeroSized: false,
  encode: (w, v) => w.slebBig(toBigInt(v, 'int')),
  decode: (r) => r.slebBig(),
};

const TEXT: Codec = {
  zeroSized: false,
  encode: (w, v) => w.text(v as string),
  decode: (r) => r.text(),
};

const BOOL: Codec = {
  zeroSized: false,
  encode: (w, v) => {
    if (typeof v !== 'boolean') throw cannot('bool');
    w.byte(v ? 1 : 0);
  },
  decode: (r) => {
    const b = r.byte();
    if (b > 1) throw malformed('bad bool');
    return b === 1;
  },
};

const NULL: Codec = {
  zeroSized: true,
  encode: () => {},
  decode: () => null,
};

const EMPTY: Codec = {
  zeroSized: false,
  encode: () => {
    throw cannot('empty');
  },
  decode: () => {
    throw malformed('value of type empty');
  },
};

const PRINCIPAL: Codec = {
  zeroSized: false,
  encode: (w, v) => {
    if (typeof v !== 'string') throw cannot('principal: not a PrincipalId');
    const bytes = principalIdToBytes(v);
    w.byte(1);
    w.leb(bytes.length);
    w.bytes(bytes);
  },
  decode: (r) => {
    if (r.byte() !== 1) throw malformed('opaque principal reference');
    const n = r.leb();
    if (n > 29) throw malformed('principal too long');
    return principalIdFromBytes(r.slice(n)) as PrincipalId;
  },
};

function float(bits: number): Codec {
  return bits === 32
    ? {
        zeroSized: false,
        encode: (w, v) => {
          if (typeof v !== 'number') throw cannot('float32');
          w.f32(v);
        },
        decode: (r) => r.f32(),
      }
    : {
        zeroSized: false,
        encode: (w, v) => {
          if (typeof v !== 'number') throw cannot('float64');
          w.f64(v);
        },
        decode: (r) => r.f64(),
      };
}

const BLOB: Codec = {
  zeroSized: false,
  encode: (w, v) => {
    if (v instanceof Uint8Array) {
      w.leb(v.length);
      w.bytes(v);
    } else if (Array.isArray(v)) {
      const bytes = Uint8Array.from(v as number[]);
      w.leb(bytes.length);
      w.bytes(bytes);
    } else {
      throw cannot('vec nat8');
    }
  },
  decode: (r) => r.slice(r.leb()).slice(),
};

type TypedArrayCtor = { new (n: number): ArrayLike<unknown> & { [i: number]: unknown } };

/**
 * @dfinity/candid decodes vectors of fixed-width numbers (other than nat8) to typed arrays;
 * the same constructors here keep the value mapping identical.
 */
function typedArrayFor(t: IDL.Type): TypedArrayCtor | undefined {
  if (t instanceof IDL.FixedNatClass) {
    return (
      { 16: Uint16Array, 32: Uint32Array, 64: BigUint64Array } as Record<number, TypedArrayCtor>
    )[t._bits];
  }
  if (t instanceof IDL.FixedIntClass) {
    return (
      { 8: Int8Array, 16: Int16Array, 32: Int32Array, 64: BigInt64Array } as Record<
        number,
        TypedArrayCtor
      >
    )[t._bits];
  }
  return undefined;
}

function vec(element: Codec, typed: TypedArrayCtor | undefined): Codec {
  return {
    zeroSized: false,
    encode: (w, v) => {
      const items = v as ArrayLike<unknown>;
      if (!Array.isArray(items) && !ArrayBuffer.isView(items)) throw cannot('vec');
      const n = items.length;
      w.leb(n);
      for (let i = 0; i < n; i++) element.encode(w, items[i]);
    },
    decode: (r) => {
      const n = r.leb();
      if (n > (element.zeroSized ? MAX_ZERO_SIZED_VEC : r.remaining)) {
        throw malformed('vector longer than the message');
      }
      if (typed !== undefined) {
        const out = new typed(n);
        for (let i = 0; i < n; i++) out[i] = element.decode(r);
        return out;
      }
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(element.decode(r));
      return out;
    },
  };
}

function opt(inner: Codec): Codec {
  return {
    zeroSized: false,
    encode: (w, v) => {
      const o = v as unknown[];
      if (o.length === 0) {
        w.byte(0);
      } else if (o.length === 1) {
        w.byte(1);
        inner.encode(w, o[0]);
      } else {
        throw cannot('opt');
      }
    },
    decode: (r) => {
      const flag = r.byte();
      if (flag === 0) return [];
      if (flag !== 1) throw malformed('bad opt flag');
      return [inner.decode(r)];
    },
  };
}

function record(names: string[], codecs: Codec[]): Codec {
  const n = names.length;
  return {
    zeroSized: codecs.every((c) => c.zeroSized),
    encode: (w, v) => {
      const rec = v as Record<string, unknown>;
      for (let i = 0; i < n; i++) codecs[i]!.encode(w, rec[names[i]!]);
    },
    decode: (r) => {
      const rec: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) rec[names[i]!] = codecs[i]!.decode(r);
      return rec;
    },
  };
}

function tuple(codecs: Codec[]): Codec {
  const n = codecs.length;
  return {
    zeroSized: codecs.every((c) => c.zeroSized),
    encode: (w, v) => {
      const items = v as unknown[];
      if (!Array.isArray(items)) throw cannot('tuple');
      for (let i = 0; i < n; i++) codecs[i]!.encode(w, items[i]);
    },
    decode: (r) => {
      const items: unknown[] = [];
      for (let i = 0; i < n; i++) items.push(codecs[i]!.decode(r));
      return items;
    },
  };
}

function variant(names: string[], codecs: Codec[]): Codec {
  // Tag name → index as a prototype-less object: a property read, cheaper than Map.get.
  const index: Record<string, number> = Object.create(null) as Record<string, number>;
  names.forEach((name, i) => (index[name] = i));
  const n = names.length;
  return {
    zeroSized: false,
    encode: (w, v) => {
      let tag: string | undefined;
      for (tag in v as object) break;
      const i = tag === undefined ? undefined : index[tag];
      if (i === undefined) throw cannot('variant: unknown tag');
      w.leb(i);
      codecs[i]!.encode(w, (v as Record<string, unknown>)[tag!]);
    },
    decode: (r) => {
      const i = r.leb();
      if (i >= n) throw malformed('variant index out of range');
      return { [names[i]!]: codecs[i]!.decode(r) };
    },
  };
}

class Compiler extends IDL.Visitor<null, Codec> {
  private readonly cache = new Map<IDL.Type, Codec>();

  compile(t: IDL.Type): Codec {
    const known = this.cache.get(t);
    if (known !== undefined) return known;
    const codec = t.accept(this, null);
    this.cache.set(t, codec);
    return codec;
  }

  override visitType<T>(t: IDL.Type<T>): Codec {
    throw new Error('codec: unsupported candid type ' + t.display());
  }
  override visitEmpty(): Codec {
    return EMPTY;
  }
  override visitBool(): Codec {
    return BOOL;
  }
  override visitNull(): Codec {
    return NULL;
  }
  override visitReserved(): Codec {
    // Encodes as nothing and decodes (when the wire type is reserved too) as null.
    return NULL;
  }
  override visitText(): Codec {
    return TEXT;
  }
  override visitInt(): Codec {
    return INT;
  }
  override visitNat(): Codec {
    return NAT;
  }
  override visitFloat(t: IDL.FloatClass): Codec {
    return float(t._bits);
  }
  override visitFixedInt(t: IDL.FixedIntClass): Codec {
    return fixedInt(t._bits);
  }
  override visitFixedNat(t: IDL.FixedNatClass): Codec {
    return fixedNat(t._bits);
  }
  override visitPrincipal(): Codec {
    return PRINCIPAL;
  }
  override visitVec<T>(_t: IDL.VecClass<T>, elementType: IDL.Type<T>): Codec {
    if (elementType instanceof IDL.FixedNatClass && elementType._bits === 8) return BLOB;
    return vec(this.compile(elementType), typedArrayFor(elementType));
  }
  override visitOpt<T>(_t: IDL.OptClass<T>, innerType: IDL.Type<T>): Codec {
    return opt(this.compile(innerType));
  }
  override visitRecord(_t: IDL.RecordClass, fields: Array<[string, IDL.Type]>): Codec {
    // @dfinity/candid keeps fields sorted by label hash, the wire order; sort anyway so the
    // codec does not depend on that detail.
    const sorted = [...fields].sort((a, b) => idlLabelToId(a[0]) - idlLabelToId(b[0]));
    return record(
      sorted.map(([name]) => name),
      sorted.map(([, type]) => this.compile(type)),
    );
  }
  override visitTuple<T extends unknown[]>(_t: IDL.TupleClass<T>, components: IDL.Type[]): Codec {
    return tuple(components.map((c) => this.compile(c)));
  }
  override visitVariant(_t: IDL.VariantClass, fields: Array<[string, IDL.Type]>): Codec {
    const sorted = [...fields].sort((a, b) => idlLabelToId(a[0]) - idlLabelToId(b[0]));
    return variant(
      sorted.map(([name]) => name),
      sorted.map(([, type]) => this.compile(type)),
    );
  }
  override visitRec<T>(t: IDL.RecClass<T>, inner: IDL.ConstructType<T>): Codec {
    // A recursive type reaches itself while compiling: hand out a forwarder first and point it
    // at the real codec once that exists.
    const forward = {
      zeroSized: false,
      encode: (w: Writer, v: unknown) => target.encode(w, v),
      decode: (r: Reader) => target.decode(r),
    };
    let target: Codec = forward;
    this.cache.set(t, forward);
    target = this.compile(inner);
    return target;
  }
}

const compiler = new Compiler();

/** The value codec of `type`, compiled on first use and cached by type identity. */
export function codecFor(type: IDL.Type): Codec {
  return compiler.compile(type);
}

/**
 * Compiles an IDL type, once, into straight-line JavaScript that writes and reads the VALUE part
 * of its candid encoding, turned into functions with `new Function`. In QuickJS every JS
 * operation costs ≈ 1,000 instructions, so what matters is how many operations run per value:
 * a chain of small closures per field measured ≈ 12 K instructions a field, generated code with
 * the fields inline ≈ 1.6 K. So:
 *
 * - a record's fields are inline, read once into locals; a run of fixed-size fields (numbers,
 *   bools) is written or read at constant offsets after ONE capacity or bounds check;
 * - nested records, variants, opts and vecs are inline too, up to INLINE_LIMIT type nodes;
 *   bigger types and recursive ones (`IDL.Rec`) get functions of their own, called through a
 *   holder object so that a type can call itself before its code exists;
 * - a variant writes its index together with a fixed-size payload in one run.
 *
 * Each unit (the type asked for, and every type it calls) is one `new Function` holding three
 * functions: `encode(w, v)`, `decode(r)` and `decodeRaw(r)` (texts left as `Encoded`).
 *
 * Every encoder takes an `Encoded` in place of a `text`, record, tuple or variant value (see
 * encoded.ts) and copies its bytes. For texts and tuples the test sits on the path ordinary
 * values never take (after `typeof v !== 'string'`, after `!Array.isArray(v)`); for variants
 * in the unknown-tag branch; records pay one `instanceof`.
 *
 * SAFETY of the generated source: it is built only from the project's own IDL types (the
 * contract in canister/idl.ts and the record types), never from input to the canister. Even
 * so, field names are never pasted raw: a name is used as `.name` only when it is a plain
 * identifier, and otherwise as a JSON string literal (`["…"]`), which cannot break out of the
 * source.
 *
 * Values follow @dfinity/candid's JS mapping except principals, which are PrincipalIds.
 */
import { IDL, idlLabelToId } from '@dfinity/candid';

import { Encoded } from './encoded';
import { malformed } from './errors';
import type { Reader } from './reader';
import { cannot, toBigInt, type Writer } from './writer';

export interface Codec {
  encode(w: Writer, value: unknown): void;
  decode(r: Reader): unknown;
  /** As `decode`, but every `text` comes back as an `Encoded` view of its bytes (unchecked). */
  decodeRaw(r: Reader): unknown;
  /** Whether a value takes no bytes (null, reserved, records of those): bounds vec lengths. */
  readonly zeroSized: boolean;
}

/** Vec lengths of zero-sized elements cannot be checked against the bytes left; cap them. */
const MAX_ZERO_SIZED_VEC = 100_000;

/**
 * Composite types up to this many type nodes are generated inline where they are used; bigger
 * ones get a function. A 20-item ProposalPage (≈ 35 nodes) is then one loop with no calls;
 * the Roadmap tree calls one function per level.
 */
const INLINE_LIMIT = 48;

/** What the generated code reaches outside itself: passed in, never looked up by name. */
const RUNTIME = {
  Encoded,
  cannot,
  malformed,
  toBigInt,
  endOfMessage: () => malformed('unexpected end of message'),
  MAX_ZERO_SIZED_VEC,
  notGenerated: (): never => {
    throw new Error('codec: this function was not generated for this type (see precompiled roots)');
  },
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JS string literal for any name: JSON's, plus the two chars JSON leaves raw. */
function literal(name: string): string {
  return JSON.stringify(name)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Reading a field: `x.name` for identifiers, `x["…"]` otherwise. */
function member(object: string, name: string): string {
  return IDENTIFIER.test(name) ? `${object}.${name}` : `${object}[${literal(name)}]`;
}

/** An object-literal key; `__proto__` must be computed or it would set the prototype. */
function key(name: string): string {
  return IDENTIFIER.test(name) && name !== '__proto__' ? name : `[${literal(name)}]`;
}

/** Fields in wire order (label hash); @dfinity/candid keeps them so, but do not rely on it. */
function wireFields(fields: Array<[string, IDL.Type]>): Array<[string, IDL.Type, number]> {
  return fields
    .map(([name, type]): [string, IDL.Type, number] => [name, type, idlLabelToId(name)])
    .sort((a, b) => a[2] - b[2]);
}

/** Byte size of a fixed-size primitive, or undefined. Records are not fixed: they may be `Encoded`. */
function fixedSize(t: IDL.Type): number | undefined {
  if (t instanceof IDL.FixedNatClass || t instanceof IDL.FixedIntClass) return t._bits / 8;
  if (t instanceof IDL.FloatClass) return t._bits / 8;
  if (t instanceof IDL.BoolClass) return 1;
  if (t instanceof IDL.NullClass || t instanceof IDL.ReservedClass) return 0;
  return undefined;
}

function isComposite(t: IDL.Type): boolean {
  return (
    t instanceof IDL.RecordClass ||
    t instanceof IDL.VariantClass ||
    t instanceof IDL.OptClass ||
    (t instanceof IDL.VecClass && !isBlob(t))
  );
}

function isBlob(t: IDL.Type): boolean {
  return t instanceof IDL.VecClass && t._type instanceof IDL.FixedNatClass && t._type._bits === 8;
}

function isZeroSized(t: IDL.Type): boolean {
  if (t instanceof IDL.NullClass || t instanceof IDL.ReservedClass) return true;
  if (t instanceof IDL.RecordClass) return t._fields.every(([, f]) => isZeroSized(f));
  return false;
}

/** The typed array @dfinity/candid decodes a vec of this element type to, if any. */
function typedArrayName(t: IDL.Type): string | undefined {
  if (t instanceof IDL.FixedNatClass) {
    return ({ 16: 'Uint16Array', 32: 'Uint32Array', 64: 'BigUint64Array' } as const)[
      t._bits as 16 | 32 | 64
    ];
  }
  if (t instanceof IDL.FixedIntClass) {
    return ({ 8: 'Int8Array', 16: 'Int16Array', 32: 'Int32Array', 64: 'BigInt64Array' } as const)[
      t._bits as 8 | 16 | 32 | 64
    ];
  }
  return undefined;
}

/** A fixed-size item of a run: a field value (in a local) or a constant byte (variant index). */
type RunItem = { type: IDL.Type; value: string } | { byte: number };

const runSize = (items: RunItem[]) =>
  items.reduce((n, item) => n + ('byte' in item ? 1 : fixedSize(item.type)!), 0);

type Mode = 'decode' | 'decodeRaw';

/** The source of one unit: the type it is for, and the units it calls. */
class UnitSource {
  private next = 0;
  readonly deps: Codec[] = [];
  /** What the unit generates: the root itself, or the type a recursive root stands for. */
  private readonly body: IDL.Type;

  constructor(
    private readonly generator: Generator,
    root: IDL.Type,
  ) {
    this.body = root instanceof IDL.RecClass ? root.getType()! : root;
  }

  private local(prefix: string): string {
    return prefix + this.next++;
  }

  /** The holder of another unit, as a local of the generated code. */
  private dep(t: IDL.Type): string {
    const codec = this.generator.codecFor(t);
    let i = this.deps.indexOf(codec);
    if (i < 0) i = this.deps.push(codec) - 1;
    return 'd' + i;
  }

  /** Whether `t` is generated here or called as its own unit. */
  private called(t: IDL.Type): boolean {
    if (t === this.body) return false; // a recursive root calls itself through its holder
    if (t instanceof IDL.RecClass) return true;
    return isComposite(t) && this.generator.size(t) > INLINE_LIMIT;
  }

  // ---------------------------------------------------------------- encode

  /** Statements writing the value held in the local `x`. */
  encode(t: IDL.Type, x: string, out: string[]): void {
    if (this.called(t)) {
      out.push(`${this.dep(t)}.encode(w, ${x});`);
      return;
    }
    if (t instanceof IDL.RecClass) {
      this.encode(t.getType()!, x, out);
      return;
    }
    if (fixedSize(t) !== undefined) {
      this.encodeRun([{ type: t, value: x }], out);
      return;
    }
    if (t instanceof IDL.TextClass) {
      out.push(
        `if (typeof ${x} === 'string') w.text(${x});`,
        `else if (${x} instanceof Encoded) w.bytes(${x}.bytes);`,
        `else throw cannot('text: not a string');`,
      );
    } else if (t instanceof IDL.NatClass) {
      out.push(`w.nat(${x});`);
    } else if (t instanceof IDL.IntClass) {
      out.push(`w.int(${x});`);
    } else if (t instanceof IDL.PrincipalClass) {
      out.push(`w.principal(${x});`);
    } else if (t instanceof IDL.EmptyClass) {
      out.push(`throw cannot('empty');`);
    } else if (isBlob(t)) {
      out.push(`w.blob(${x});`);
    } else if (t instanceof IDL.VecClass) {
      this.encodeVec(t._type, x, out);
    } else if (t instanceof IDL.OptClass) {
      const e = this.local('e');
      out.push(`if (${x}.length === 0) w.byte(0);`, `else if (${x}.length === 1) {`);
      out.push(`const ${e} = ${x}[0];`);
      if (fixedSize(t._type) !== undefined) {
        this.encodeRun([{ byte: 1 }, { type: t._type, value: e }], out);
      } else {
        out.push('w.byte(1);');
        this.encode(t._type, e, out);
      }
      out.push(`} else throw cannot('opt');`);
    } else if (t instanceof IDL.TupleClass) {
      out.push(
        `if (!Array.isArray(${x})) {`,
        `if (${x} instanceof Encoded) w.bytes(${x}.bytes); else throw cannot('tuple');`,
        '} else {',
      );
      this.encodeFields(
        t._fields.map(([, type], i) => [String(i), type, i]),
        (_name, i) => `${x}[${i}]`,
        out,
      );
      out.push('}');
    } else if (t instanceof IDL.RecordClass) {
      out.push(`if (${x} instanceof Encoded) w.bytes(${x}.bytes); else {`);
      this.encodeFields(wireFields(t._fields), (name) => member(x, name), out);
      out.push('}');
    } else if (t instanceof IDL.VariantClass) {
      this.encodeVariant(t, x, out);
    } else {
      throw new Error('codec: unsupported candid type ' + t.display());
    }
  }

  /** Fields in wire order, fixed-size neighbours grouped into runs. */
  private encodeFields(
    fields: Array<[string, IDL.Type, number]>,
    read: (name: string, index: number) => string,
    out: string[],
  ): void {
    let run: RunItem[] = [];
    const flush = () => {
      if (run.length > 0) this.encodeRun(run, out);
      run = [];
    };
    fields.forEach(([name, type], i) => {
      const size = fixedSize(type);
      if (size === 0) return; // null / reserved: nothing to write, nothing to check
      const f = this.local('f');
      out.push(`const ${f} = ${read(name, i)};`);
      if (size !== undefined) {
        run.push({ type, value: f });
      } else {
        flush();
        this.encode(type, f, out);
      }
    });
    flush();
  }

  /** One capacity check, then every item at a constant offset. */
  private encodeRun(items: RunItem[], out: string[]): void {
    const size = runSize(items);
    if (size === 0) return;
    const only = items[0]!;
    if (size === 1 && 'byte' in only) {
      out.push(`w.byte(${only.byte});`); // a variant index alone: one call is cheaper
      return;
    }
    const p = this.local('p');
    const body: string[] = [];
    let offset = 0;
    for (const item of items) {
      const at = `${p} + ${offset}`;
      if ('byte' in item) {
        body.push(`b[${at}] = ${item.byte};`);
        offset += 1;
      } else {
        this.writeFixed(item.type, item.value, at, body);
        offset += fixedSize(item.type)!;
      }
    }
    out.push(`const ${p} = w.pos;`, `if (${p} + ${size} > w.buf.length) w.grow(${size});`, '{');
    out.push(...this.views(body), ...body, '}', `w.pos = ${p} + ${size};`);
  }

  /** Locals for the buffer and its view, read after the capacity check, only where used. */
  private views(body: string[]): string[] {
    const text = body.join('\n');
    const out: string[] = [];
    if (/\bb\[/.test(text)) out.push('const b = w.buf;');
    if (/\bdv\./.test(text)) out.push('const dv = w.view;');
    return out;
  }

  /** Checks and writes a fixed-size value at `at`; `b` / `dv` are the buffer and its view. */
  private writeFixed(t: IDL.Type, x: string, at: string, out: string[]): void {
    if (t instanceof IDL.BoolClass) {
      out.push(`if (typeof ${x} !== 'boolean') throw cannot('bool');`, `b[${at}] = ${x} ? 1 : 0;`);
      return;
    }
    if (t instanceof IDL.FloatClass) {
      out.push(
        `if (typeof ${x} !== 'number') throw cannot('float${t._bits}');`,
        `dv.setFloat${t._bits}(${at}, ${x}, true);`,
      );
      return;
    }
    if (t instanceof IDL.FixedNatClass || t instanceof IDL.FixedIntClass) {
      const signed = t instanceof IDL.FixedIntClass;
      const bits = t._bits;
      const name = (signed ? 'int' : 'nat') + bits;
      const n = this.local('n');
      if (bits === 64) {
        const [check, setter] = signed
          ? [`BigInt.asIntN(64, ${n}) !== ${n}`, 'setBigInt64']
          : [`BigInt.asUintN(64, ${n}) !== ${n}`, 'setBigUint64'];
        out.push(
          `const ${n} = typeof ${x} === 'bigint' ? ${x} : toBigInt(${x}, '${name}');`,
          `if (${check}) throw cannot('${name}');`,
          `dv.${setter}(${at}, ${n}, true);`,
        );
        return;
      }
      // @dfinity/candid takes bigints for small widths too.
      out.push(`const ${n} = typeof ${x} === 'number' ? ${x} : Number(${x});`);
      const check = signed
        ? bits === 32
          ? `(${n} | 0) !== ${n}`
          : `((${n} << ${32 - bits}) >> ${32 - bits}) !== ${n}`
        : bits === 32
          ? `${n} >>> 0 !== ${n}`
          : `(${n} & ${2 ** bits - 1}) !== ${n}`;
      out.push(`if (${check}) throw cannot('${name}');`);
      if (bits === 8) out.push(signed ? `dv.setInt8(${at}, ${n});` : `b[${at}] = ${n};`);
      else out.push(`dv.set${signed ? 'Int' : 'Uint'}${bits}(${at}, ${n}, true);`);
      return;
    }
    // null, reserved: no bytes.
  }

  private encodeVec(element: IDL.Type, x: string, out: string[]): void {
    const n = this.local('n');
    const i = this.local('i');
    out.push(
      `if (!Array.isArray(${x}) && !ArrayBuffer.isView(${x})) throw cannot('vec');`,
      `const ${n} = ${x}.length;`,
      `w.leb(${n});`,
    );
    const size = fixedSize(element);
    if (size !== undefined && size > 0) {
      // Fixed-size elements: one capacity check for the whole vec.
      const p = this.local('p');
      const q = this.local('q');
      const e = this.local('e');
      out.push(
        `const ${p} = w.pos;`,
        `if (${p} + ${n} * ${size} > w.buf.length) w.grow(${n} * ${size});`,
      );
      const body: string[] = [];
      this.writeFixed(element, e, q, body);
      out.push(
        '{',
        ...this.views(body),
        `for (let ${i} = 0, ${q} = ${p}; ${i} < ${n}; ${i}++, ${q} += ${size}) {`,
        `const ${e} = ${x}[${i}];`,
        ...body,
        '}',
        '}',
        `w.pos = ${p} + ${n} * ${size};`,
      );
      return;
    }
    if (size === 0) return; // vec null: the length is all
    const e = this.local('e');
    out.push(`for (let ${i} = 0; ${i} < ${n}; ${i}++) {`, `const ${e} = ${x}[${i}];`);
    this.encode(element, e, out);
    out.push('}');
  }

  private encodeVariant(t: IDL.VariantClass, x: string, out: string[]): void {
    const fields = wireFields(t._fields);
    const tag = this.local('tag');
    // An Encoded has one enumerable property, `bytes`: it lands in the unknown-tag branch,
    // unless the variant has a tag of that name.
    if (fields.some(([name]) => name === 'bytes')) {
      out.push(`if (${x} instanceof Encoded) w.bytes(${x}.bytes); else {`);
    }
    out.push(`let ${tag};`, `for (${tag} in ${x}) break;`, `switch (${tag}) {`);
    fields.forEach(([name, type], index) => {
      out.push(`case ${literal(name)}: {`);
      const size = fixedSize(type);
      if (index < 0x80 && size !== undefined) {
        const items: RunItem[] = [{ byte: index }];
        if (size > 0) {
          const v = this.local('v');
          out.push(`const ${v} = ${member(x, name)};`);
          items.push({ type, value: v });
        }
        this.encodeRun(items, out);
      } else {
        out.push(index < 0x80 ? `w.byte(${index});` : `w.leb(${index});`);
        const v = this.local('v');
        out.push(`const ${v} = ${member(x, name)};`);
        this.encode(type, v, out);
      }
      out.push('break;', '}');
    });
    out.push(
      'default:',
      `if (${x} instanceof Encoded) w.bytes(${x}.bytes);`,
      `else throw cannot('variant: unknown tag');`,
      '}',
    );
    if (fields.some(([name]) => name === 'bytes')) out.push('}');
  }

  // ---------------------------------------------------------------- decode

  /** Statements reading one value; returns the expression (usually a local) that holds it. */
  decode(t: IDL.Type, mode: Mode, out: string[]): string {
    if (this.called(t)) return `${this.dep(t)}.${mode}(r)`;
    if (t instanceof IDL.RecClass) return this.decode(t.getType()!, mode, out);
    if (fixedSize(t) !== undefined) return this.decodeRun([t], out)[0]!;
    if (t instanceof IDL.TextClass) return mode === 'decode' ? 'r.text()' : 'r.rawText()';
    if (t instanceof IDL.NatClass) return 'r.lebBig()';
    if (t instanceof IDL.IntClass) return 'r.slebBig()';
    if (t instanceof IDL.PrincipalClass) return 'r.principal()';
    if (t instanceof IDL.EmptyClass) {
      out.push(`throw malformed('value of type empty');`);
      return 'undefined';
    }
    if (isBlob(t)) return 'r.blob()';
    if (t instanceof IDL.VecClass) return this.decodeVec(t._type, mode, out);
    if (t instanceof IDL.OptClass) {
      const v = this.local('v');
      const flag = this.local('o');
      out.push(
        `let ${v};`,
        `const ${flag} = r.byte();`,
        `if (${flag} === 0) ${v} = [];`,
        `else if (${flag} === 1) {`,
      );
      const inner = this.decode(t._type, mode, out);
      out.push(`${v} = [${inner}];`, `} else throw malformed('bad opt flag');`);
      return v;
    }
    if (t instanceof IDL.TupleClass) {
      const values = this.decodeFields(
        t._fields.map(([, type], i) => [String(i), type, i]),
        mode,
        out,
      );
      return `[${values.join(', ')}]`;
    }
    if (t instanceof IDL.RecordClass) {
      const wire = wireFields(t._fields);
      const values = this.decodeFields(wire, mode, out);
      const byName = new Map(wire.map(([name], i) => [name, values[i]!]));
      const v = this.local('v');
      out.push(
        `const ${v} = {${t._fields.map(([name]) => `${key(name)}: ${byName.get(name)!}`).join(', ')}};`,
      );
      return v;
    }
    if (t instanceof IDL.VariantClass) return this.decodeVariant(t, mode, out);
    throw new Error('codec: unsupported candid type ' + t.display());
  }

  /** Fields in wire order into locals (or constants); fixed-size neighbours in runs. */
  private decodeFields(
    fields: Array<[string, IDL.Type, number]>,
    mode: Mode,
    out: string[],
  ): string[] {
    const values: string[] = [];
    let run: IDL.Type[] = [];
    const flush = () => {
      if (run.length > 0) values.push(...this.decodeRun(run, out));
      run = [];
    };
    for (const [, type] of fields) {
      if (fixedSize(type) !== undefined) {
        run.push(type);
        continue;
      }
      flush();
      const expression = this.decode(type, mode, out);
      // Read now, in wire order: the record literal is built after all fields.
      const f = this.local('f');
      out.push(`const ${f} = ${expression};`);
      values.push(f);
    }
    flush();
    return values;
  }

  /** One bounds check, then every value at a constant offset; returns their expressions. */
  private decodeRun(types: IDL.Type[], out: string[]): string[] {
    const size = types.reduce((n, t) => n + fixedSize(t)!, 0);
    if (size === 0) return types.map(() => 'null');
    const p = this.local('p');
    out.push(
      `const ${p} = r.pos;`,
      `if (${size} > r.end - ${p}) throw endOfMessage();`,
      `r.pos = ${p} + ${size};`,
    );
    const values: string[] = [];
    let offset = 0;
    for (const t of types) {
      values.push(this.readFixed(t, `${p} + ${offset}`, out));
      offset += fixedSize(t)!;
    }
    return values;
  }

  /** Reads a fixed-size value at `at` into a local (bounds already checked). */
  private readFixed(t: IDL.Type, at: string, out: string[]): string {
    if (t instanceof IDL.NullClass || t instanceof IDL.ReservedClass) return 'null';
    const v = this.local('v');
    if (t instanceof IDL.BoolClass) {
      out.push(`const ${v} = r.bytes[${at}];`, `if (${v} > 1) throw malformed('bad bool');`);
      return `(${v} === 1)`;
    }
    let read: string;
    if (t instanceof IDL.FloatClass) read = `r.view.getFloat${t._bits}(${at}, true)`;
    else if (t instanceof IDL.FixedNatClass) {
      read =
        t._bits === 8
          ? `r.bytes[${at}]`
          : t._bits === 64
            ? `r.view.getBigUint64(${at}, true)`
            : `r.view.getUint${t._bits}(${at}, true)`;
    } else if (t instanceof IDL.FixedIntClass) {
      read =
        t._bits === 8
          ? `r.view.getInt8(${at})`
          : t._bits === 64
            ? `r.view.getBigInt64(${at}, true)`
            : `r.view.getInt${t._bits}(${at}, true)`;
    } else {
      throw new Error('codec: not a fixed-size type ' + t.display());
    }
    out.push(`const ${v} = ${read};`);
    return v;
  }

  private decodeVec(element: IDL.Type, mode: Mode, out: string[]): string {
    const n = this.local('n');
    const a = this.local('a');
    const i = this.local('i');
    out.push(`const ${n} = r.leb();`);
    const size = fixedSize(element);
    if (size !== undefined && size > 0) {
      const typed = typedArrayName(element);
      const p = this.local('p');
      out.push(
        `if (${n} * ${size} > r.end - r.pos) throw malformed('vector longer than the message');`,
        `const ${p} = r.pos;`,
        `r.pos = ${p} + ${n} * ${size};`,
        `const ${a} = ${typed === undefined ? '[]' : `new ${typed}(${n})`};`,
        `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      );
      const v = this.readFixed(element, `${p} + ${i} * ${size}`, out);
      out.push(`${a}[${i}] = ${v};`, '}');
      return a;
    }
    const limit = isZeroSized(element) ? 'MAX_ZERO_SIZED_VEC' : 'r.end - r.pos';
    out.push(
      `if (${n} > ${limit}) throw malformed('vector longer than the message');`,
      `const ${a} = [];`,
      `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
    );
    const v = this.decode(element, mode, out);
    out.push(`${a}[${i}] = ${v};`, '}');
    return a;
  }

  private decodeVariant(t: IDL.VariantClass, mode: Mode, out: string[]): string {
    const fields = wireFields(t._fields);
    const v = this.local('v');
    out.push(`let ${v};`, `switch (r.leb()) {`);
    fields.forEach(([name, type], index) => {
      out.push(`case ${index}: {`);
      const payload = this.decode(type, mode, out);
      out.push(`${v} = {${key(name)}: ${payload}};`, 'break;', '}');
    });
    out.push('default:', `throw malformed('variant index out of range');`, '}');
    return v;
  }

  /**
   * The unit's source: a function body returning its three functions. `uses` leaves out the
   * ones nobody calls (precompiled units of a method's arguments only decode, of its reply
   * only encode): a left-out function throws if called after all.
   */
  source(uses: ReadonlySet<Use> = ALL_USES): string {
    const t = this.body;
    const fn = (use: Use, name: string, body: () => string[]): string[] =>
      uses.has(use) ? [`${name} {`, ...body(), '},'] : [`${use}: rt.notGenerated,`];
    const prelude = [
      "'use strict';",
      'const { Encoded, cannot, malformed, toBigInt, endOfMessage, MAX_ZERO_SIZED_VEC } = rt;',
    ];
    const functions = [
      ...fn('encode', 'encode(w, x)', () => {
        const out: string[] = [];
        this.encode(t, 'x', out);
        return out;
      }),
      ...fn('decode', 'decode(r)', () => {
        const out: string[] = [];
        const decoded = this.decode(t, 'decode', out);
        return [...out, `return ${decoded};`];
      }),
      ...fn('decodeRaw', 'decodeRaw(r)', () => {
        const out: string[] = [];
        const decoded = this.decode(t, 'decodeRaw', out);
        return [...out, `return ${decoded};`];
      }),
    ];
    // Deps are known only once the functions are generated.
    const deps = this.deps.map((_, i) => `const d${i} = deps[${i}];`);
    return [...prelude, ...deps, 'return {', ...functions, '};'].join('\n');
  }
}

/** The three functions of a unit, as the things a caller may use it for. */
export type Use = 'encode' | 'decode' | 'decodeRaw';
const ALL_USES: ReadonlySet<Use> = new Set<Use>(['encode', 'decode', 'decodeRaw']);

type Functions = Pick<Codec, 'encode' | 'decode' | 'decodeRaw'>;

const notReady = () => {
  throw new Error('codec: used before it was compiled');
};

class Generator {
  private readonly codecs = new Map<IDL.Type, Codec>();
  private readonly sizes = new Map<IDL.Type, number>();
  /** Every unit compiled, in the order its holder was made (what `precompile` writes out). */
  readonly units: Array<{ holder: Codec; source: string; deps: Codec[]; unit?: UnitSource }> = [];

  /** The number of type nodes `t` spans, references to recursive types counting as one. */
  size(t: IDL.Type): number {
    const known = this.sizes.get(t);
    if (known !== undefined) return known;
    let n = 1;
    if (t instanceof IDL.RecordClass || t instanceof IDL.VariantClass) {
      for (const [, f] of t._fields) n += this.size(f);
    } else if (t instanceof IDL.OptClass || t instanceof IDL.VecClass) {
      n += this.size(t._type);
    }
    this.sizes.set(t, n);
    return n;
  }

  codecFor(t: IDL.Type): Codec {
    const known = this.codecs.get(t);
    if (known !== undefined) return known;
    // The holder is registered first: a recursive type reaches itself while generating.
    const holder: Codec & Functions = {
      encode: notReady,
      decode: notReady,
      decodeRaw: notReady,
      zeroSized: isZeroSized(t),
    };
    this.codecs.set(t, holder);
    const record: (typeof this.units)[number] = { holder, source: '', deps: [] };
    this.units.push(record);
    try {
      const unit = new UnitSource(this, t);
      const source = unit.source();
      record.source = source;
      record.deps = unit.deps;
      record.unit = unit;
      // See SAFETY in the header: the source comes from our own IDL types only.
      const make = new Function('rt', 'deps', source) as (
        rt: typeof RUNTIME,
        deps: Codec[],
      ) => Functions;
      const functions = make(RUNTIME, unit.deps);
      holder.encode = functions.encode;
      holder.decode = functions.decode;
      holder.decodeRaw = functions.decodeRaw;
    } catch (e) {
      this.codecs.delete(t);
      this.units.splice(this.units.indexOf(record), 1);
      throw e;
    }
    return holder;
  }

  /** Takes compiled units instead of generating them: see `installPrecompiled`. */
  adopt(t: IDL.Type, codec: Codec): void {
    this.codecs.set(t, codec);
  }

  /** The generated source of `t`'s unit (tests, inspection). */
  sourceOf(t: IDL.Type): string {
    return new UnitSource(this, t).source();
  }
}

const generator = new Generator();

/**
 * Where a type's codec is kept once compiled: a property on the IDL type object itself. A
 * property read costs one operation; a Map or WeakMap lookup is a native call (≈ 9 K measured),
 * a third of the whole budget for decoding a small record.
 */
const CODEC = Symbol('codec');
type WithCodec = { [CODEC]?: Codec };

/** The value codec of `type`, generated on first use and cached on the type. */
export function codecFor(type: IDL.Type): Codec {
  const cached = (type as WithCodec)[CODEC];
  if (cached !== undefined) return cached;
  const codec = generator.codecFor(type);
  (type as WithCodec)[CODEC] = codec;
  return codec;
}

/** The generated JavaScript for `type` (tests, and to read what runs). */
export function generatedSource(type: IDL.Type): string {
  return generator.sourceOf(type);
}

/** A unit's three functions, made from what the generated code closes over. */
export type UnitFactory = (rt: typeof RUNTIME, deps: Codec[]) => Functions;

/** Codecs generated ahead of time (at build time) for a list of root types. */
export interface PrecompiledCodecs {
  /** How many roots they were generated for: a cheap check that the lists match. */
  readonly rootCount: number;
  /** Each root's unit, by position in the list of roots. */
  readonly rootUnits: readonly number[];
  readonly units: ReadonlyArray<{
    readonly deps: readonly number[];
    readonly zeroSized: boolean;
    readonly make: UnitFactory;
  }>;
}

/**
 * A TypeScript expression of type PrecompiledCodecs holding the codecs of `roots` and of every
 * type they call, as functions: what `codecFor` would build at run time with `new Function`,
 * written out so that the canister parses it with its bundle instead of generating source (in
 * QuickJS, generating the contract's codecs costs ≈ 0.6 B instructions, compiling them 0.16 B).
 */
export function precompiledCodecsSource(roots: Array<[IDL.Type, Use[]]>): string {
  const fresh = new Generator();
  const rootHolders = roots.map(([t]) => fresh.codecFor(t));
  const index = new Map<Codec, number>(fresh.units.map((u, i) => [u.holder, i]));
  const position = (codec: Codec): number => {
    const i = index.get(codec);
    if (i === undefined) throw new Error('codec: a dependency is not among the units');
    return i;
  };
  // What each unit is used for: its roots' uses, then, down the calls, its callers' (a unit's
  // encode calls its deps' encode, and so on).
  const uses = fresh.units.map(() => new Set<Use>());
  const visit = (unit: number, use: Use): void => {
    if (uses[unit]!.has(use)) return;
    uses[unit]!.add(use);
    for (const dep of fresh.units[unit]!.deps) visit(position(dep), use);
  };
  roots.forEach(([, rootUses], i) => {
    for (const use of rootUses) visit(position(rootHolders[i]!), use);
  });
  const units = fresh.units.map((u, i) => {
    const source = u.unit === undefined ? u.source : u.unit.source(uses[i]);
    return [
      '  {',
      `    deps: [${u.deps.map(position).join(', ')}],`,
      `    zeroSized: ${u.holder.zeroSized},`,
      '    make(rt, deps) {',
      ...source.split('\n').map((line) => `      ${line}`),
      '    },',
      '  },',
    ].join('\n');
  });
  return [
    '{',
    `rootCount: ${roots.length},`,
    `rootUnits: [${rootHolders.map(position).join(', ')}],`,
    'units: [',
    ...units,
    '],',
    '}',
  ].join('\n');
}

/**
 * Makes the codecs of `precompiled` (see `precompiledCodecsSource`) the codecs of `roots`, which must
 * be the same list of types, in the same order, that it was generated from: the build writes
 * both from one source, and check:generated fails when the committed module is stale.
 */
export function installPrecompiled(roots: IDL.Type[], precompiled: PrecompiledCodecs): void {
  if (roots.length !== precompiled.rootCount) {
    throw new Error(
      `codec: precompiled for ${precompiled.rootCount} root types, given ${roots.length}; rebuild`,
    );
  }
  const holders: Array<Codec & Functions> = precompiled.units.map((u) => ({
    encode: notReady,
    decode: notReady,
    decodeRaw: notReady,
    zeroSized: u.zeroSized,
  }));
  precompiled.units.forEach((u, i) => {
    const functions = u.make(
      RUNTIME,
      u.deps.map((d) => holders[d]!),
    );
    const holder = holders[i]!;
    holder.encode = functions.encode;
    holder.decode = functions.decode;
    holder.decodeRaw = functions.decodeRaw;
  });
  roots.forEach((t, i) => {
    const codec = holders[precompiled.rootUnits[i]!]!;
    generator.adopt(t, codec);
    (t as WithCodec)[CODEC] = codec;
  });
}

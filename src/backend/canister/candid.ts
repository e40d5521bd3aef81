/**
 * The one place where domain values and candid values meet. The domain carries principals as
 * text; candid carries `Principal` objects. Walking the IDL type beside the value converts
 * exactly the fields the contract declares as `principal`, so no per-type mapping code exists
 * to drift from idl.ts. Parts of a type that cannot hold a principal (worked out once per IDL
 * type) are passed through untouched, so a value costs only its principal-bearing parts.
 */
// The packages Azle re-exports, imported directly so this file also loads in unit tests.
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import type { PrincipalId } from '../domain/model';
import type { Candid } from './idl';

type Direction = 'toCandid' | 'toDomain';

/** Whether a type can hold a principal anywhere inside it; answers once per IDL type. */
class PrincipalFinder extends IDL.Visitor<null, boolean> {
  private readonly known = new Map<IDL.Type, boolean>();

  has(type: IDL.Type): boolean {
    const cached = this.known.get(type);
    if (cached !== undefined) return cached;
    // A recursive type reaches itself again; that path adds nothing, so count it as false.
    this.known.set(type, false);
    const found = type.accept(this, null);
    this.known.set(type, found);
    return found;
  }

  override visitType<T>(_t: IDL.Type<T>): boolean {
    return false;
  }

  override visitPrincipal(): boolean {
    return true;
  }

  override visitVec<T>(_t: IDL.VecClass<T>, elementType: IDL.Type<T>): boolean {
    return this.has(elementType);
  }

  override visitOpt<T>(_t: IDL.OptClass<T>, innerType: IDL.Type<T>): boolean {
    return this.has(innerType);
  }

  override visitRecord(_t: IDL.RecordClass, fields: Array<[string, IDL.Type]>): boolean {
    return fields.some(([, fieldType]) => this.has(fieldType));
  }

  override visitTuple<T extends unknown[]>(_t: IDL.TupleClass<T>, components: IDL.Type[]): boolean {
    return components.some((component) => this.has(component));
  }

  override visitVariant(_t: IDL.VariantClass, fields: Array<[string, IDL.Type]>): boolean {
    return fields.some(([, fieldType]) => this.has(fieldType));
  }

  override visitRec<T>(_t: IDL.RecClass<T>, inner: IDL.ConstructType<T>): boolean {
    return this.has(inner);
  }
}

const principals = new PrincipalFinder();

/** Whether values of `type` need converting at all: most of the contract holds no principal. */
export function containsPrincipal(type: IDL.Type): boolean {
  return principals.has(type);
}

class PrincipalConverter extends IDL.Visitor<unknown, unknown> {
  constructor(private readonly direction: Direction) {
    super();
  }

  override visitType<T>(_t: IDL.Type<T>, data: unknown): unknown {
    return data;
  }

  override visitPrincipal(_t: IDL.PrincipalClass, data: unknown): unknown {
    if (this.direction === 'toCandid') return Principal.fromText(data as string);
    return (data as Principal).toText();
  }

  override visitVec<T>(_t: IDL.VecClass<T>, elementType: IDL.Type<T>, data: unknown): unknown {
    // Byte vectors arrive as typed arrays and never hold principals.
    if (!Array.isArray(data) || !principals.has(elementType)) return data;
    return data.map((element) => elementType.accept(this, element));
  }

  override visitOpt<T>(_t: IDL.OptClass<T>, innerType: IDL.Type<T>, data: unknown): unknown {
    const opt = data as unknown[];
    if (!principals.has(innerType)) return opt;
    return opt.length === 0 ? [] : [innerType.accept(this, opt[0])];
  }

  override visitRecord(
    _t: IDL.RecordClass,
    fields: Array<[string, IDL.Type]>,
    data: unknown,
  ): unknown {
    const record = data as Record<string, unknown>;
    const converted: Record<string, unknown> = {};
    for (const [name, fieldType] of fields) {
      converted[name] = principals.has(fieldType)
        ? fieldType.accept(this, record[name])
        : record[name];
    }
    return converted;
  }

  override visitVariant(
    _t: IDL.VariantClass,
    fields: Array<[string, IDL.Type]>,
    data: unknown,
  ): unknown {
    const variant = data as Record<string, unknown>;
    for (const [name, fieldType] of fields) {
      if (name in variant) {
        if (!principals.has(fieldType)) return data;
        return { [name]: fieldType.accept(this, variant[name]) };
      }
    }
    return data;
  }

  override visitRec<T>(_t: IDL.RecClass<T>, inner: IDL.ConstructType<T>, data: unknown): unknown {
    return inner.accept(this, data);
  }
}

const toCandidVisitor = new PrincipalConverter('toCandid');
const toDomainVisitor = new PrincipalConverter('toDomain');

/** A domain value in the shape `type` declares, with principal text made into principals. */
export function toCandid<T>(type: IDL.Type, value: T): Candid<T> {
  if (!principals.has(type)) return value as Candid<T>;
  return type.accept(toCandidVisitor, value) as Candid<T>;
}

/** A decoded candid argument with its principals turned into text for the domain. */
export function toDomain<T>(type: IDL.Type, value: Candid<T>): T {
  if (!principals.has(type)) return value as T;
  return type.accept(toDomainVisitor, value) as T;
}

export function principalToText(principal: Principal): PrincipalId {
  return principal.toText() as PrincipalId;
}

/**
 * The one place where domain values and candid values meet. The domain carries principals as
 * text; candid carries `Principal` objects. Walking the IDL type beside the value converts
 * exactly the fields the contract declares as `principal`, so no per-type mapping code exists
 * to drift from idl.ts.
 */
// The packages Azle re-exports, imported directly so this file also loads in unit tests.
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import type { PrincipalText } from '../domain/model';
import type { Candid } from './idl';

type Direction = 'toCandid' | 'toDomain';

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
    if (!Array.isArray(data)) return data;
    return data.map((element) => elementType.accept(this, element));
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
    const converted: Record<string, unknown> = {};
    for (const [name, fieldType] of fields) converted[name] = fieldType.accept(this, record[name]);
    return converted;
  }

  override visitVariant(
    _t: IDL.VariantClass,
    fields: Array<[string, IDL.Type]>,
    data: unknown,
  ): unknown {
    const variant = data as Record<string, unknown>;
    for (const [name, fieldType] of fields) {
      if (name in variant) return { [name]: fieldType.accept(this, variant[name]) };
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
  return type.accept(toCandidVisitor, value) as Candid<T>;
}

/** A decoded candid argument with its principals turned into text for the domain. */
export function toDomain<T>(type: IDL.Type, value: Candid<T>): T {
  return type.accept(toDomainVisitor, value) as T;
}

export function principalToText(principal: Principal): PrincipalText {
  return principal.toText() as PrincipalText;
}

import { IDL } from '@dfinity/candid';
import { idlFactory } from '../../../declarations/backend';

/** Every method of the backend's candid service with its signature, in name order. */
export function candidMethods(): Array<{ name: string; signature: string }> {
  const service = idlFactory({ IDL }) as IDL.ServiceClass;
  return service._fields
    .map(([name, func]) => ({
      name,
      signature:
        `(${func.argTypes.map((t) => t.display()).join(', ')}) -> ` +
        `(${func.retTypes.map((t) => t.display()).join(', ')})` +
        func.annotations.map((a) => ` ${a}`).join(''),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

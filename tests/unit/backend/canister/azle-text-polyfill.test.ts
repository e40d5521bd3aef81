/**
 * The text polyfill Azle bundles into every canister as the global TextEncoder/TextDecoder
 * (`@sinonjs/text-encoding`), as `patches/@sinonjs+text-encoding+0.7.3.patch` leaves it: UTF-8
 * as `@dfinity/candid` asks for it, and no tables of legacy encodings, whose parsing alone cost
 * each install and upgrade 0.74 B instructions.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Polyfill {
  TextEncoder: typeof TextEncoder;
  TextDecoder: typeof TextDecoder;
}

// Resolved from Azle's own package, as its bundler resolves the import.
const fromAzle = createRequire(
  new URL('../../../../node_modules/azle/package.json', import.meta.url),
);
const polyfill = fromAzle('@sinonjs/text-encoding') as Polyfill;

describe("Azle's text polyfill", () => {
  it('decodes UTF-8 under the label @dfinity/candid uses, and refuses invalid bytes', () => {
    const bytes = new polyfill.TextEncoder().encode('Grüße, 世界 🌍');
    expect(Array.from(bytes)).toEqual(Array.from(new TextEncoder().encode('Grüße, 世界 🌍')));
    const strict = new polyfill.TextDecoder('utf8', { fatal: true });
    expect(strict.decode(bytes)).toBe('Grüße, 世界 🌍');
    expect(() => strict.decode(new Uint8Array([0x61, 0xc3]))).toThrow();
  });

  it('comes without the legacy encodings, whose tables are left out of the canister', () => {
    expect(() => new polyfill.TextDecoder('windows-1252')).toThrow(/encoding-indexes/);
  });
});

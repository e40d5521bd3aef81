/**
 * Replaces the global TextEncoder and TextDecoder (in Azle 0.33 a JavaScript polyfill at about
 * 12,000 instructions per character) with the codec's UTF-8 functions, for the code that still
 * uses them: @dfinity/candid hashes every field name of every IDL type it builds with
 * TextEncoder (building the contract's types took ≈ 0.25 B instructions of every install and
 * upgrade with the polyfill) and decodes texts with TextDecoder on the fallback path for
 * non-canonical arguments. So they are installed first thing (install-text-codec.ts, imported
 * by the entry point before any module that builds IDL types). Labels other than UTF-8 keep
 * the polyfill.
 */
import { decodeUtf8, encodeUtf8 } from '../codec';

type DecoderOptions = { fatal?: boolean; ignoreBOM?: boolean };

/** The decoder to use for labels other than UTF-8 (the polyfill, once installed). */
let otherDecoder: typeof TextDecoder = globalThis.TextDecoder;

export class FastTextEncoder {
  readonly encoding = 'utf-8';
  encode(input = ''): Uint8Array {
    return encodeUtf8(String(input));
  }
}

export class FastTextDecoder {
  readonly encoding = 'utf-8';
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  private readonly other: TextDecoder | undefined;

  constructor(label = 'utf-8', options: DecoderOptions = {}) {
    const normalized = label.trim().toLowerCase();
    this.other =
      normalized === 'utf-8' || normalized === 'utf8' || normalized === 'unicode-1-1-utf-8'
        ? undefined
        : new otherDecoder(label, options);
    this.fatal = options.fatal === true;
    this.ignoreBOM = options.ignoreBOM === true;
  }

  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string {
    if (this.other !== undefined) return this.other.decode(input as Uint8Array, options);
    if (input === undefined) return '';
    const bytes = ArrayBuffer.isView(input)
      ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
      : new Uint8Array(input);
    const text = decodeUtf8(bytes, { fatal: this.fatal });
    // As TextDecoder: a leading byte order mark is consumed unless asked to keep it.
    return !this.ignoreBOM && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

export function installFastTextCodec(): void {
  otherDecoder = globalThis.TextDecoder;
  globalThis.TextEncoder = FastTextEncoder as unknown as typeof TextEncoder;
  globalThis.TextDecoder = FastTextDecoder as unknown as typeof TextDecoder;
}

/**
 * UTF-8 without TextEncoder/TextDecoder: in Azle 0.33 those are a QuickJS polyfill costing
 * ≈ 12,300 instructions per character. Every JS operation costs ≈ 1,000 instructions there, so
 * the fast paths lean on native built-ins (String.fromCharCode.apply, a regex, escape +
 * decodeURIComponent, JSON.stringify and Azle's Rust candid text parser) and the per-byte JS
 * loops are only fallbacks for the rare inputs the natives cannot take.
 */
import { wholeTextOf } from '../domain/whole-match';
import { malformed } from './errors';

/** Azle's `candidEncode`: candid text (e.g. `("a", "b")`) to candid bytes, parsed in Rust. */
export type NativeCandidEncoder = (candidText: string) => Uint8Array;

let nativeEncoder: NativeCandidEncoder | undefined;

/**
 * Installs the native encoder (the canister passes azle's `candidEncode`). Without one (Node,
 * tests) every text goes through the pure-JS encoder, which produces the same bytes.
 */
export function setNativeCandidEncoder(fn: NativeCandidEncoder | undefined): void {
  nativeEncoder = fn;
}

export function getNativeCandidEncoder(): NativeCandidEncoder | undefined {
  return nativeEncoder;
}

/**
 * The JSON form of `text` when the native candid parser can take it, otherwise undefined.
 * JSON.stringify escapes exactly `"` `\` and control characters; candid text literals accept
 * `\"` `\\` `\n` `\r` `\t` verbatim but not JSON's `\uXXXX`, `\b` and `\f` (and a lone
 * surrogate, which JSON writes as `\udXXX`, has no candid spelling at all). A string whose JSON
 * form has one of those goes the pure-JS way. `\\u` from an escaped backslash followed by a
 * "u" also matches: a false positive only costs speed.
 */
// Searched with indexOf, not a regex: QuickJS's regex engine costs a few hundred instructions
// a char (measured in the canister: encodeUtf8 of 10k ASCII chars 6.1 M with a regex, 1.9 M
// with indexOf).
export function nativeTextLiteral(text: string): string | undefined {
  const json = JSON.stringify(text);
  // Most texts have no escape at all: one search instead of three.
  if (json.indexOf('\\') < 0) return json;
  if (json.indexOf('\\u') >= 0 || json.indexOf('\\b') >= 0 || json.indexOf('\\f') >= 0) {
    return undefined;
  }
  return json;
}

/** Well-formed UTF-8 of `text`; lone surrogates become U+FFFD, as TextEncoder does. */
export function encodeUtf8(text: string): Uint8Array {
  if (text.length === 0) return new Uint8Array(0);
  const native = nativeEncoder;
  if (native !== undefined) {
    const literal = nativeTextLiteral(text);
    if (literal !== undefined) {
      const { bytes, starts, ends } = splitNativeTexts(native('(' + literal + ')'), 1);
      // The value is LEB128 length + UTF-8: skip the length.
      let p = starts[0]!;
      while (bytes[p]! >= 0x80) p++;
      return bytes.subarray(p + 1, ends[0]!);
    }
  }
  return encodeUtf8Js(text);
}

/** The per-char encoder: the reference, and the path for texts the native parser rejects. */
export function encodeUtf8Js(text: string): Uint8Array {
  const n = text.length;
  const out = new Uint8Array(n * 3);
  let j = 0;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[j++] = c;
    } else if (c < 0x800) {
      out[j++] = 0xc0 | (c >> 6);
      out[j++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          out[j++] = 0xf0 | (c >> 18);
          out[j++] = 0x80 | ((c >> 12) & 0x3f);
          out[j++] = 0x80 | ((c >> 6) & 0x3f);
          out[j++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd; // a lone surrogate
      }
      out[j++] = 0xe0 | (c >> 12);
      out[j++] = 0x80 | ((c >> 6) & 0x3f);
      out[j++] = 0x80 | (c & 0x3f);
    }
  }
  return out.subarray(0, j);
}

/**
 * Checks the header of `candidEncode`'s output for `count` texts and returns where the first
 * text value starts. Throws if the bytes are not what the spec says they are.
 */
export function nativeTextsStart(bytes: Uint8Array, count: number): number {
  const bad = () => new Error('unexpected output from the native candid encoder');
  const n = bytes.length;
  if (n < 6 || bytes[0] !== 0x44 || bytes[1] !== 0x49 || bytes[2] !== 0x44 || bytes[3] !== 0x4c) {
    throw bad();
  }
  let p = 4;
  if (bytes[p++] !== 0) throw bad(); // type table: no compound types
  let args = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[p++];
    if (b === undefined) throw bad();
    args += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) break;
  }
  if (args !== count) throw bad();
  // The arg types: `count` bytes of 0x71. Compared as a string: one native call, not a loop.
  const typeEnd = p + count;
  if (typeEnd > n) throw bad();
  const types = String.fromCharCode.apply(null, bytes.subarray(p, typeEnd) as unknown as number[]);
  if (types !== 'q'.repeat(count)) throw bad();
  return typeEnd;
}

/** Where each text's candid value (LEB128 length + UTF-8) lies in a native encoder's output. */
export type NativeTexts = { bytes: Uint8Array; starts: number[]; ends: number[] };

/**
 * Parses what `candidEncode('("a", "b", ...)')` returns (the candid spec's encoding of `count`
 * text arguments, the same bytes `IDL.encode` makes): `DIDL`, an empty type table, `count`
 * argument types all `text` (0x71), then each text as LEB128 length + bytes, back to back. `starts[i]` is where text i's length
 * begins (so `bytes.subarray(starts[i], ends[i])` is its whole candid value) and the UTF-8 itself
 * starts after the length. Checked strictly: anything else means the encoder is not the one we
 * expect.
 */
export function splitNativeTexts(bytes: Uint8Array, count: number): NativeTexts {
  const bad = () => new Error('unexpected output from the native candid encoder');
  const n = bytes.length;
  let p = nativeTextsStart(bytes, count);
  let shift: number;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < count; i++) {
    starts.push(p);
    let len = 0;
    shift = 0;
    for (;;) {
      const b = bytes[p++];
      if (b === undefined) throw bad();
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    p += len;
    if (p > n) throw bad();
    ends.push(p);
  }
  if (p !== n) throw bad();
  return { bytes, starts, ends };
}

// The ASCII test must accept control characters (NUL included): they are valid text. Both
// tests are sticky whole-text regexes (see whole-match.ts): one pass, also on a mismatch.
const ASCII = wholeTextOf(String.raw`[^\u0080-\uffff]`);
/** Whether every char of `text` is ASCII (below U+0080), control characters included. */
export function isAscii(text: string): boolean {
  ASCII.lastIndex = 0;
  return ASCII.test(text);
}

/** Tabs, newlines and printable ASCII: most text people write. */
const PRINTABLE_ASCII = wholeTextOf(String.raw`[^\u0000-\u0008\u000b-\u001f\u007f-\uffff]`);
const CHUNK = 8192;

/**
 * Whether every text decodeUtf8 decoded since `startTextVerdict` was printable ASCII (tabs,
 * newlines and U+0020–U+007E), as its fast path finds out anyway. decodeArgs reports it for
 * the arguments of a call, so that validation need not test their texts again (≈ 1.1 M
 * instructions for a 10,000-character body).
 */
let everyTextPrintable = true;

export function startTextVerdict(): void {
  everyTextPrintable = true;
}

export function everyTextWasPrintable(): boolean {
  return everyTextPrintable;
}

/**
 * A bare candid `text` value (LEB128 length + UTF-8) of at most 127 ASCII bytes, as a string;
 * undefined for anything else. Stores keep many such values (vote sides, list entries), and
 * reading one this way skips the general decoder's reader and checks (≈ 50,000 instructions).
 */
export function shortAsciiTextValue(bytes: Uint8Array): string | undefined {
  if (bytes.length > 0x80 || bytes[0] !== bytes.length - 1) return undefined;
  // The length byte, below 0x80, passes the ASCII test with the rest.
  const binary = String.fromCharCode.apply(null, bytes as unknown as number[]);
  return isAscii(binary) ? binary.slice(1) : undefined;
}

/**
 * The inverse of `bytesToBinary`: each char (all below 256) becomes one byte. A JS loop (no
 * native path exists), so callers keep what they convert often.
 */
export function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  writeBinary(binary, 0, binary.length, bytes, 0);
  return bytes;
}

/** Writes chars `[from, to)` of a binary string into `out` from `at`, a byte each. */
export function writeBinary(
  binary: string,
  from: number,
  to: number,
  out: Uint8Array,
  at: number,
): void {
  for (let i = from; i < to; i++) {
    const c = binary.charCodeAt(i);
    if (c > 0xff) throw new TypeError('not a binary string: a char is above 255');
    out[at + i - from] = c;
  }
}

/** One char per byte; fromCharCode.apply in chunks keeps the argument count bounded. */
export function bytesToBinary(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  const parts: string[] = [];
  for (let i = 0; i < n; i += CHUNK) {
    parts.push(
      String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]),
    );
  }
  return parts.join('');
}

/**
 * UTF-8 to a string. `fatal` (what candid requires of arguments): throw a CandidError on
 * invalid UTF-8. Otherwise invalid sequences become U+FFFD exactly as TextDecoder does.
 */
export function decodeUtf8(bytes: Uint8Array, options: { fatal: boolean }): string {
  if (bytes.length === 0) return '';
  const binary = bytesToBinary(bytes);
  PRINTABLE_ASCII.lastIndex = 0;
  if (PRINTABLE_ASCII.test(binary)) return binary;
  everyTextPrintable = false;
  if (isAscii(binary)) return binary;
  try {
    // escape() turns each byte ≥ 0x80 into %XX; decodeURIComponent decodes the UTF-8 and
    // throws URIError on anything RFC 3629 rejects (bad continuation, overlong forms,
    // surrogates, > U+10FFFF, truncation): the same set TextDecoder rejects.
    return decodeURIComponent(escape(binary));
  } catch (_e) {
    if (options.fatal) throw malformed('invalid utf-8 in text');
    return decodeUtf8Js(bytes);
  }
}

/** The per-byte decoder with WHATWG replacement ("maximal subpart" → one U+FFFD). */
export function decodeUtf8Js(bytes: Uint8Array): string {
  const n = bytes.length;
  const units: number[] = [];
  const parts: string[] = [];
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    i++;
    if (b < 0x80) {
      units.push(b);
    } else {
      let need = 0;
      let cp = 0;
      let lower = 0x80;
      let upper = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        cp = b & 0x0f;
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        cp = b & 0x07;
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
      }
      if (need === 0) {
        units.push(0xfffd);
      } else {
        let ok = true;
        for (let k = 0; k < need; k++) {
          const c = i < n ? bytes[i]! : -1;
          if (c < lower || c > upper) {
            ok = false;
            break;
          }
          lower = 0x80;
          upper = 0xbf;
          cp = (cp << 6) | (c & 0x3f);
          i++;
        }
        if (!ok) {
          units.push(0xfffd);
        } else if (cp >= 0x10000) {
          cp -= 0x10000;
          units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
        } else {
          units.push(cp);
        }
      }
    }
    if (units.length >= CHUNK) {
      parts.push(String.fromCharCode.apply(null, units));
      units.length = 0;
    }
  }
  parts.push(String.fromCharCode.apply(null, units));
  return parts.join('');
}

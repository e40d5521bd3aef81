/**
 * Pre-encoded candid values. A reply often carries texts that were stored as candid bytes
 * (proposal titles and excerpts in stable records) or whole values that change rarely (cached
 * roadmap nodes). Decoding those to strings only to encode them again costs the UTF-8 work
 * twice; an `Encoded` carries the value bytes instead, and every encoder accepts it in place of
 * a value of its type and copies the bytes verbatim (one `Uint8Array.set`).
 *
 * Intended use:
 * - read a stored record with `decodeValue(type, bytes, { rawText: true })`: its texts come back
 *   as `Encoded` (views into `bytes`, not decoded, not checked) and go into a reply as they are;
 * - keep the bytes of a reply part that is served often (`encoded(ThemeNode, node)`) and put
 *   the `Encoded` where the value would go in the reply.
 *
 * The bytes are trusted, not checked: they must be exactly one value of the type they stand
 * for, made by this codec (or read from a store it wrote). Wrong bytes make a wrong message.
 */
import { encodeUtf8Js, getNativeCandidEncoder, nativeTextLiteral, splitNativeTexts } from './utf8';

export class Encoded {
  /** The candid value bytes (for `text`: LEB128 byte length + UTF-8). Never written to. */
  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

function lebPrefixed(utf8: Uint8Array): Uint8Array {
  const head: number[] = [];
  let n = utf8.length;
  while (n >= 0x80) {
    head.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  head.push(n);
  const out = new Uint8Array(head.length + utf8.length);
  out.set(head);
  out.set(utf8, head.length);
  return out;
}

/**
 * A text's candid value, ready to splice. With the native encoder the value is cut straight
 * out of its output (which already is LEB128 length + UTF-8); texts it cannot take (control
 * chars, lone surrogates) go the JS way, with the same bytes.
 */
export function encodedText(text: string): Encoded {
  const native = getNativeCandidEncoder();
  if (native !== undefined && text.length > 0) {
    const json = nativeTextLiteral(text);
    if (json !== undefined) {
      const { bytes, starts, ends } = splitNativeTexts(native('(' + json + ')'), 1);
      return new Encoded(bytes.subarray(starts[0], ends[0]));
    }
  }
  return new Encoded(lebPrefixed(encodeUtf8Js(text)));
}

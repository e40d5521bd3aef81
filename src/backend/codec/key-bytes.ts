/**
 * The bytes of the string keys the domain gives record stores (canister/stable-records.ts).
 */
import { binaryToBytes, writeBinary } from './utf8';

/** Keys up to this length are converted char by char: one loop is cheaper than anything else. */
const SHORT_KEY = 24;
/** Segments between slashes this long are principals (29 bytes for a member): remembered. */
const REMEMBERED_SEGMENT = 16;
const MAX_REMEMBERED_SEGMENTS = 4096;
const rememberedSegments = new Map<string, Uint8Array>();

/**
 * A key's bytes: every char of a domain key is below 256 (decimal ids, names of actions and
 * principals as byte strings), so each char is one byte. A char costs about 3,000
 * instructions in a JS loop, and most keys hold a member's principal (`${member}/${position}`,
 * `${id}/${member}`) that recurs across the reads of a message (a member's list of votes) and
 * of consecutive messages: the bytes of principal-sized segments between slashes are
 * remembered and copied, the rest is converted char by char. The bytes do not depend on where
 * a key is cut, so a principal holding a slash byte still comes out right.
 */
export function keyBytes(key: string): Uint8Array {
  const n = key.length;
  if (n <= SHORT_KEY) return binaryToBytes(key);
  const out = new Uint8Array(n);
  for (let start = 0; start <= n;) {
    let end = key.indexOf('/', start);
    if (end < 0) end = n;
    if (end - start >= REMEMBERED_SEGMENT) {
      const segment = key.slice(start, end);
      let bytes = rememberedSegments.get(segment);
      if (bytes === undefined) {
        bytes = binaryToBytes(segment);
        if (rememberedSegments.size >= MAX_REMEMBERED_SEGMENTS) rememberedSegments.clear();
        rememberedSegments.set(segment, bytes);
      }
      out.set(bytes, start);
    } else {
      writeBinary(key, start, end, out, start);
    }
    if (end < n) out[end] = 0x2f;
    start = end + 1;
  }
  return out;
}

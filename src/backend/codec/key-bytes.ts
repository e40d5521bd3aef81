/**
 * The bytes of the string keys the domain gives record stores (canister/stable-records.ts).
 */
import { principalIdToBytes } from './principal';
import { binaryToBytes, writeBinary } from './utf8';

/** Keys up to this length are converted char by char: one loop is cheaper than anything else. */
const SHORT_KEY = 24;
/** Segments between slashes this long are principals (29 bytes for a member): remembered. */
const REMEMBERED_SEGMENT = 16;

/**
 * A key's bytes: every char of a domain key is below 256 (decimal ids, names of actions and
 * principals as byte strings), so each char is one byte. A char costs about 3,000
 * instructions in a JS loop, and most keys hold a member's principal (`${member}/${position}`,
 * `${id}/${member}`) whose bytes the codec remembers (codec/principal.ts): principal-sized
 * segments between slashes are taken from there and copied, the rest is converted char by
 * char. The bytes do not depend on where a key is cut, so a principal holding a slash byte
 * still comes out right. The returned array may be shared with the next call for the same
 * key: never write to it (StableBTreeMap copies it).
 */
export function keyBytes(key: string): Uint8Array {
  // A new proposal writes four records in a row under its id key: comparing a key with the
  // last one costs far less than converting it again.
  if (key === lastKey) return lastBytes;
  const bytes = convert(key);
  lastKey = key;
  lastBytes = bytes;
  return bytes;
}

let lastKey: string | undefined;
let lastBytes: Uint8Array = new Uint8Array(0);

function convert(key: string): Uint8Array {
  const n = key.length;
  if (n <= SHORT_KEY) return binaryToBytes(key);
  const out = new Uint8Array(n);
  for (let start = 0; start <= n;) {
    let end = key.indexOf('/', start);
    if (end < 0) end = n;
    if (end - start >= REMEMBERED_SEGMENT) {
      out.set(principalIdToBytes(key.slice(start, end)), start);
    } else {
      writeBinary(key, start, end, out, start);
    }
    if (end < n) out[end] = 0x2f;
    start = end + 1;
  }
  return out;
}

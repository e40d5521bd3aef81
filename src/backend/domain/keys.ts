/**
 * Order-preserving key encodings. Stores compare keys as strings, so numbers become fixed-width
 * big-endian hex and descending orders store the complement. Variable-width parts (slugs,
 * tags, principals) end with '/', which sorts below every character those parts may contain
 * except '-' and '.', and is only ever used as a prefix terminator, so a prefix scan on
 * "part/" never matches a longer part.
 */

const U64_MAX = (1n << 64n) - 1n;

export function u64(value: bigint): string {
  return value.toString(16).padStart(16, '0');
}

/** Sorts larger values first. */
export function u64Desc(value: bigint): string {
  return u64(U64_MAX - value);
}

export function u32(value: number): string {
  return value.toString(16).padStart(8, '0');
}

export function parseU64(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

/** The id encoded in the last 16 characters of an index key. */
export function trailingId(key: string): bigint {
  return parseU64(key.slice(-16));
}

export function trailingDescId(key: string): bigint {
  return U64_MAX - parseU64(key.slice(-16));
}

/**
 * Cursors are the last index key a page returned, kept opaque so that clients cannot rely on
 * their shape. Keys are ASCII, so a hex encoding is enough and needs no base64 support.
 */
export function encodeCursor(key: string): string {
  let hex = '';
  for (let i = 0; i < key.length; i++) hex += key.charCodeAt(i).toString(16).padStart(2, '0');
  return hex;
}

/** The key inside a cursor, or undefined when the text is not one this canister made. */
export function decodeCursor(cursor: string, expectedPrefix: string): string | undefined {
  if (cursor.length % 2 !== 0 || cursor.length > 1024 || !/^[0-9a-f]*$/.test(cursor)) {
    return undefined;
  }
  let key = '';
  for (let i = 0; i < cursor.length; i += 2) {
    key += String.fromCharCode(parseInt(cursor.slice(i, i + 2), 16));
  }
  return key.startsWith(expectedPrefix) ? key : undefined;
}

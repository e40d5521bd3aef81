/**
 * Cursors name the last entry a page returned, kept opaque so that clients cannot rely on
 * their shape. Their text is ASCII, so a hex encoding is enough and needs no base64 support.
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

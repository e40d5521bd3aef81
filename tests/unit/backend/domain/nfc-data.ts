/**
 * The character sets of src/backend/domain/nfc.ts, derived from the Unicode data of the
 * JavaScript runtime running the tests (its `normalize`), so the test can tell when the
 * committed sets and Unicode disagree.
 */

function isScalar(cp: number): boolean {
  return cp < 0xd800 || cp > 0xdfff;
}

/** Code points NFC may change or that may compose with the character before them. */
export function quickCheckNotYes(): number[] {
  const out = new Set<number>();
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (!isScalar(cp)) continue;
    const s = String.fromCodePoint(cp);
    // NFC_Quick_Check=No: never appears in NFC text.
    if (s.normalize('NFC') !== s) out.add(cp);
    // NFC_Quick_Check=Maybe: the last character of a canonical decomposition may compose
    // with what precedes it.
    const d = [...s.normalize('NFD')];
    if (d.length >= 2) out.add(d[d.length - 1]!.codePointAt(0)!);
  }
  // Hangul LV + T and L + V compose algorithmically, outside the decomposition tables.
  for (let cp = 0x1161; cp <= 0x1175; cp++) out.add(cp);
  for (let cp = 0x11a8; cp <= 0x11c2; cp++) out.add(cp);
  return [...out].sort((a, b) => a - b);
}

/**
 * Code points with a non-zero canonical combining class, found by canonical reordering: a
 * class above 1 moves after U+0334 (class 1), a class below 240 moves before U+0345 (240).
 */
export function nonZeroCombiningClass(): number[] {
  const out: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (!isScalar(cp)) continue;
    const s = String.fromCodePoint(cp);
    if (s.normalize('NFD') !== s) continue;
    const after = `a${s}\u0334`;
    const before = `a\u0345${s}`;
    if (
      after.normalize('NFD') !== after ||
      before.normalize('NFD') !== before ||
      cp === 0x0345 ||
      cp === 0x0334
    ) {
      out.push(cp);
    }
  }
  return out;
}

/** Code points as a regex class body: `\uXXXX` and `\u{XXXXX}` ranges. */
export function classBody(cps: number[]): string {
  const ranges: [number, number][] = [];
  for (const cp of cps) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === cp - 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  const hex = (cp: number) =>
    cp > 0xffff
      ? `\\u{${cp.toString(16).toUpperCase()}}`
      : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return ranges
    .map(([a, b]) => (a === b ? hex(a) : b === a + 1 ? hex(a) + hex(b) : `${hex(a)}-${hex(b)}`))
    .join('');
}

/**
 * Display names that look alike count as the same name: "Alice Ng" written with a Cyrillic А,
 * with a zero-width space, with a capital I for the l, or in other letter case all belong to
 * whoever took "Alice Ng" first. Lookalikes are Unicode's confusables (UTS #39) as the
 * `unhomoglyph` package ships them (confusables.txt as a map from each character to its
 * prototype), not a table of our own.
 */
import CONFUSABLES from 'unhomoglyph/data.json';

import { matchesWhole, wholeTextOf } from './whole-match';

const PROTOTYPE: Readonly<Record<string, string>> = CONFUSABLES;

const IGNORABLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const SPACES = /\s+/g;
const ASCII = wholeTextOf(String.raw`[^\u0080-\uffff]`);

/**
 * The ASCII characters the table maps (0, 1, I, m, …), as one regex made from the table when
 * the module loads: most names are ASCII, and a native regex replace costs far less in the
 * canister than a JavaScript loop over every character.
 */
const ASCII_CONFUSABLE = new RegExp(
  `[${Object.keys(PROTOTYPE)
    .filter((ch) => ch.length === 1 && ch.charCodeAt(0) < 0x80)
    .map((ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .join('')}]`,
  'g',
);
const prototypeOf = (ch: string): string => PROTOTYPE[ch] ?? ch;

/**
 * The UTS #39 skeleton: NFD, each character replaced by its prototype, NFD again. Two texts
 * are confusable when their skeletons are equal. (Each key of the table is one code point, so
 * no lookup can reach a property of Object.prototype.) ASCII is its own NFD, and the
 * prototypes of ASCII characters have no decompositions, so ASCII needs only the replace.
 */
export function skeleton(text: string): string {
  if (matchesWhole(ASCII, text)) return text.replace(ASCII_CONFUSABLE, prototypeOf);
  let mapped = '';
  for (const ch of text.normalize('NFD')) mapped += PROTOTYPE[ch] ?? ch;
  return mapped.normalize('NFD');
}

/**
 * The keys a display name is unique under. Case folding and the skeleton do not commute
 * (the skeleton of "I" is "l", of "i" is "i"), so a name has two keys: the skeleton of its
 * lower case, which makes "ALICE" and "alice" one name, and the lower case of its skeleton,
 * which makes "AIice" (capital i) and "Alice" one. Invisible characters and runs of spaces do
 * not make a name different either.
 */
export function nameKeys(displayName: string): string[] {
  const plain = displayName.replace(IGNORABLE, '').replace(SPACES, ' ');
  const folded = skeleton(plain.toLowerCase());
  const shaped = skeleton(plain).toLowerCase();
  return folded === shaped ? [folded] : [folded, shaped];
}

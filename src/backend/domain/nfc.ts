/**
 * Unicode normalisation form C at a cost that follows the characters that need it. The
 * canister's `String.prototype.normalize` costs about 5,000 instructions a character (a
 * 10,000-character body: ≈ 50 M), yet nearly all text people write is already in NFC. Unicode's
 * quick check (UAX #15) proves that with two native regex passes; only text it cannot clear is
 * normalised.
 *
 * The two sets are Unicode data written out as regex class bodies;
 * tests/unit/backend/domain/nfc.test.ts derives them again from the runtime's Unicode data and
 * fails, printing the new bodies, when they differ.
 */
import { matchesWhole, wholeTextOf } from './whole-match';

/**
 * NFC_Quick_Check No or Maybe: characters that never appear in NFC (singletons such as the
 * Ohm and Ångström signs, CJK compatibility ideographs, composition exclusions) and characters
 * that may compose with the one before them (combining accents, Hangul vowel and final jamo).
 */
export const QUICK_CHECK_NOT_YES =
  String.raw`\u0300-\u0304\u0306-\u030C\u030F\u0311\u0313\u0314\u031B\u0323-\u0328\u032D\u032E` +
  String.raw`\u0330\u0331\u0338\u0340-\u0345\u0374\u037E\u0387\u05B4\u05B7-\u05B9\u05BC\u05BF` +
  String.raw`\u05C1\u05C2\u0653-\u0655\u093C\u0958-\u095F\u09BC\u09BE\u09D7\u09DC\u09DD\u09DF` +
  String.raw`\u0A33\u0A36\u0A3C\u0A59-\u0A5B\u0A5E\u0B3C\u0B3E\u0B56\u0B57\u0B5C\u0B5D\u0BBE` +
  String.raw`\u0BD7\u0C56\u0CC2\u0CD5\u0CD6\u0D3E\u0D57\u0DCA\u0DCF\u0DDF\u0F43\u0F4D\u0F52\u0F57` +
  String.raw`\u0F5C\u0F69\u0F72-\u0F76\u0F78\u0F80\u0F81\u0F93\u0F9D\u0FA2\u0FA7\u0FAC\u0FB5` +
  String.raw`\u0FB7\u0FB9\u102E\u1161-\u1175\u11A8-\u11C2\u1B35\u1F71\u1F73\u1F75\u1F77\u1F79` +
  String.raw`\u1F7B\u1F7D\u1FBB\u1FBE\u1FC9\u1FCB\u1FD3\u1FDB\u1FE3\u1FEB\u1FEE\u1FEF\u1FF9\u1FFB` +
  String.raw`\u1FFD\u2000\u2001\u2126\u212A\u212B\u2329\u232A\u2ADC\u3099\u309A\uF900-\uFA0D` +
  String.raw`\uFA10\uFA12\uFA15-\uFA1E\uFA20\uFA22\uFA25\uFA26\uFA2A-\uFA6D\uFA70-\uFAD9\uFB1D` +
  String.raw`\uFB1F\uFB2A-\uFB36\uFB38-\uFB3C\uFB3E\uFB40\uFB41\uFB43\uFB44\uFB46-\uFB4E\u{110BA}` +
  String.raw`\u{11127}\u{1133E}\u{11357}\u{113B8}\u{113BB}\u{113C2}\u{113C9}\u{114B0}\u{114BA}` +
  String.raw`\u{114BD}\u{115AF}\u{11930}\u{1611E}-\u{16120}\u{16129}\u{16D67}\u{1D15E}-\u{1D165}` +
  String.raw`\u{1D16E}-\u{1D172}\u{1D1BB}-\u{1D1C0}\u{2F800}-\u{2FA1D}`;

/** Canonical combining class above 0: marks whose order NFC fixes when two meet. */
export const NONZERO_COMBINING_CLASS =
  String.raw`\u0300-\u033F\u0342\u0345-\u034E\u0350-\u036F\u0483-\u0487\u0591-\u05BD\u05BF\u05C1` +
  String.raw`\u05C2\u05C4\u05C5\u05C7\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E4` +
  String.raw`\u06E7\u06E8\u06EA-\u06ED\u0711\u0730-\u074A\u07EB-\u07F3\u07FD\u0816-\u0819` +
  String.raw`\u081B-\u0823\u0825-\u0827\u0829-\u082D\u0859-\u085B\u0897-\u089F\u08CA-\u08E1` +
  String.raw`\u08E3-\u08FF\u093C\u094D\u0951-\u0954\u09BC\u09CD\u09FE\u0A3C\u0A4D\u0ABC\u0ACD` +
  String.raw`\u0B3C\u0B4D\u0BCD\u0C3C\u0C4D\u0C55\u0C56\u0CBC\u0CCD\u0D3B\u0D3C\u0D4D\u0DCA` +
  String.raw`\u0E38-\u0E3A\u0E48-\u0E4B\u0EB8-\u0EBA\u0EC8-\u0ECB\u0F18\u0F19\u0F35\u0F37\u0F39` +
  String.raw`\u0F71\u0F72\u0F74\u0F7A-\u0F7D\u0F80\u0F82-\u0F84\u0F86\u0F87\u0FC6\u1037\u1039` +
  String.raw`\u103A\u108D\u135D-\u135F\u1714\u1715\u1734\u17D2\u17DD\u18A9\u1939-\u193B\u1A17` +
  String.raw`\u1A18\u1A60\u1A75-\u1A7C\u1A7F\u1AB0-\u1ABD\u1ABF-\u1ADD\u1AE0-\u1AEB\u1B34\u1B44` +
  String.raw`\u1B6B-\u1B73\u1BAA\u1BAB\u1BE6\u1BF2\u1BF3\u1C37\u1CD0-\u1CD2\u1CD4-\u1CE0` +
  String.raw`\u1CE2-\u1CE8\u1CED\u1CF4\u1CF8\u1CF9\u1DC0-\u1DFF\u20D0-\u20DC\u20E1\u20E5-\u20F0` +
  String.raw`\u2CEF-\u2CF1\u2D7F\u2DE0-\u2DFF\u302A-\u302F\u3099\u309A\uA66F\uA674-\uA67D\uA69E` +
  String.raw`\uA69F\uA6F0\uA6F1\uA806\uA82C\uA8C4\uA8E0-\uA8F1\uA92B-\uA92D\uA953\uA9B3\uA9C0` +
  String.raw`\uAAB0\uAAB2-\uAAB4\uAAB7\uAAB8\uAABE\uAABF\uAAC1\uAAF6\uABED\uFB1E\uFE20-\uFE2F` +
  String.raw`\u{101FD}\u{102E0}\u{10376}-\u{1037A}\u{10A0D}\u{10A0F}\u{10A38}-\u{10A3A}\u{10A3F}` +
  String.raw`\u{10AE5}\u{10AE6}\u{10D24}-\u{10D27}\u{10D69}-\u{10D6D}\u{10EAB}\u{10EAC}\u{10EFA}` +
  String.raw`\u{10EFB}\u{10EFD}-\u{10EFF}\u{10F46}-\u{10F50}\u{10F82}-\u{10F85}\u{11046}\u{11070}` +
  String.raw`\u{1107F}\u{110B9}\u{110BA}\u{11100}-\u{11102}\u{11133}\u{11134}\u{11173}\u{111C0}` +
  String.raw`\u{111CA}\u{11235}\u{11236}\u{112E9}\u{112EA}\u{1133B}\u{1133C}\u{1134D}` +
  String.raw`\u{11366}-\u{1136C}\u{11370}-\u{11374}\u{113CE}-\u{113D0}\u{11442}\u{11446}\u{1145E}` +
  String.raw`\u{114C2}\u{114C3}\u{115BF}\u{115C0}\u{1163F}\u{116B6}\u{116B7}\u{1172B}\u{11839}` +
  String.raw`\u{1183A}\u{1193D}\u{1193E}\u{11943}\u{119E0}\u{11A34}\u{11A47}\u{11A99}\u{11C3F}` +
  String.raw`\u{11D42}\u{11D44}\u{11D45}\u{11D97}\u{11F41}\u{11F42}\u{1612F}\u{16AF0}-\u{16AF4}` +
  String.raw`\u{16B30}-\u{16B36}\u{16FF0}\u{16FF1}\u{1BC9E}\u{1D165}-\u{1D169}\u{1D16D}-\u{1D172}` +
  String.raw`\u{1D17B}-\u{1D182}\u{1D185}-\u{1D18B}\u{1D1AA}-\u{1D1AD}\u{1D242}-\u{1D244}` +
  String.raw`\u{1E000}-\u{1E006}\u{1E008}-\u{1E018}\u{1E01B}-\u{1E021}\u{1E023}\u{1E024}` +
  String.raw`\u{1E026}-\u{1E02A}\u{1E08F}\u{1E130}-\u{1E136}\u{1E2AE}\u{1E2EC}-\u{1E2EF}` +
  String.raw`\u{1E4EC}-\u{1E4EF}\u{1E5EE}\u{1E5EF}\u{1E6E3}\u{1E6E6}\u{1E6EE}\u{1E6EF}\u{1E6F5}` +
  String.raw`\u{1E8D0}-\u{1E8D6}\u{1E944}-\u{1E94A}`;

/** Below U+0300 every character is its own NFC: a one-range test settles most Latin text. */
const BELOW_COMBINING = wholeTextOf(String.raw`[^\u0300-\uffff]`);
// Sticky whole-text tests (see whole-match.ts). The classes list combining marks on purpose.
/* eslint-disable no-misleading-character-class */
// Not in wholeTextOf's form: 16 copies of these classes cost ≈ 0.35 B instructions to compile
// when the canister starts, which install and every upgrade would pay.
const NOTHING_NFC_TOUCHES = new RegExp(
  `^[^${QUICK_CHECK_NOT_YES}${NONZERO_COMBINING_CLASS}]*$`,
  'uy',
);
const QUICK_CHECK_YES = new RegExp(`^[^${QUICK_CHECK_NOT_YES}]*$`, 'uy');
/** Two combining marks in a row, whose order NFC might change. */
const ADJACENT_COMBINING = new RegExp(`[${NONZERO_COMBINING_CLASS}]{2}`, 'u');
/* eslint-enable no-misleading-character-class */

/** Whether `text` is certainly in NFC (UAX #15's quick check answering Yes). */
export function isNfcQuick(text: string): boolean {
  if (matchesWhole(BELOW_COMBINING, text) || matchesWhole(NOTHING_NFC_TOUCHES, text)) return true;
  // Text with combining marks (most Indic and Hebrew text): in NFC unless a mark may compose
  // with what precedes it or two marks meet, whose order NFC may change.
  return matchesWhole(QUICK_CHECK_YES, text) && !ADJACENT_COMBINING.test(text);
}

/** `text.normalize('NFC')`, skipped where the quick check proves it changes nothing. */
export function toNfc(text: string): string {
  return isNfcQuick(text) ? text : text.normalize('NFC');
}

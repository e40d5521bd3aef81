/**
 * Markdown → plain text for places that show a snippet of user text (proposal excerpts): the
 * words stay, the syntax goes. Lists keep no HTML, so this is a small line-based stripper
 * rather than the full markdown pipeline; it also copes with text cut off mid-syntax, which
 * excerpts are (the backend cuts them at a fixed length).
 */

/** The backend cuts excerpts at this many code points (src/backend/domain/proposals.ts). */
export const EXCERPT_LENGTH = 280;

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Block syntax: what starts a line (headings, quotes, list markers) or is a whole line (fences, rules). */
function stripLine(line: string): string | undefined {
  let s = line;
  // Fences, thematic breaks, setext underlines, table separators and link definitions carry no words.
  if (/^\s*(```|~~~)/.test(s)) return undefined;
  if (/^\s{0,3}([-*_=])(\s*\1){2,}\s*$/.test(s)) return undefined;
  if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(s)) return undefined;
  if (/^\s{0,3}\[[^\]]+\]:\s*\S+/.test(s)) return undefined;
  for (;;) {
    const before = s;
    s = s.replace(/^\s*>\s?/, ''); // block quote, possibly nested
    s = s.replace(/^\s*([-*+]|\d{1,9}[.)])\s+/, ''); // list marker
    s = s.replace(/^\s*\[[ xX]\]\s+/, ''); // task box
    if (s === before) break;
  }
  const heading = /^\s{0,3}#{1,6}(\s+|$)/;
  if (heading.test(s)) {
    // A section heading reads as a label for the text after it once lines are joined.
    s = s
      .replace(heading, '')
      .replace(/\s+#+\s*$/, '')
      .trim();
    if (s !== '' && !/[.:!?…]$/.test(s)) s += ':';
  }
  if (s.includes('|')) s = s.replace(/^\s*\||\|\s*$/g, '').replace(/\s*\|\s*/g, ' '); // table row
  return s;
}

/** Inline syntax: links, images, code, emphasis, autolinks, HTML tags, escapes. */
function stripInline(text: string): string {
  // Backslash escapes and code spans are set aside (as private-use placeholders) so their
  // characters are kept as text.
  const escaped: string[] = [];
  let s = text.replace(/\\([!-/:-@[-`{-~])/g, (_, ch: string) => {
    escaped.push(ch);
    return `\uE000${escaped.length - 1}\uE000`;
  });
  const code: string[] = [];
  s = s.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, body: string) => {
    code.push(body.trim());
    return `\uE001${code.length - 1}\uE001`;
  });
  s = s
    .replace(/!\[([^\]]*)\]\([^)]*\)?/g, '$1') // image → its alt text
    .replace(/\[([^\]]*)\]\([^)]*\)?/g, '$1') // inline link (maybe cut off) → its text
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1') // reference link → its text
    .replace(/<((?:https?|mailto):[^>\s]*)>/gi, '$1') // autolink → the address
    .replace(/<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>/gi, '') // raw HTML tags are not shown
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2') // strong
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1$2') // emphasis with *
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2') // emphasis with _ (not snake_case)
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1') // strikethrough
    .replace(/(^|\s)(\*{1,3}|_{1,3}|~~)(?=\S)/g, '$1') // markers left open by a cut
    .replace(/\*\*|~~|!?\[(?=[^\]]*$)/g, '')
    .replace(/`+/g, '');
  s = s
    .replace(/\uE001(\d+)\uE001/g, (_, i: string) => code[Number(i)] ?? '')
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => escaped[Number(i)] ?? '');
  return decodeEntities(s);
}

/** The words of a markdown text on one line, without markdown syntax or HTML. */
export function markdownToPlainText(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const stripped = stripLine(line);
    if (stripped !== undefined) kept.push(stripped);
  }
  return stripInline(kept.join('\n')).replace(/\s+/g, ' ').trim();
}

/** A proposal excerpt as a list shows it: plain text, with "…" when the backend cut it short. */
export function excerptText(excerpt: string): string {
  const text = markdownToPlainText(excerpt);
  if (text === '' || Array.from(excerpt).length < EXCERPT_LENGTH) return text;
  return `${text.replace(/[\s.,;:!?…-]+$/u, '')}…`;
}

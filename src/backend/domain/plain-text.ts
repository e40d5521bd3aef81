/**
 * Markdown → plain text for proposal excerpts: the words stay, the syntax goes (headings,
 * emphasis, links and images → their text, code fences and rules dropped, list and quote
 * markers removed, HTML tags dropped, entities decoded). A small line-based stripper rather
 * than a markdown parser, so it costs one pass over the body and runs only when a proposal is
 * written, never when a list is read.
 */

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

/** Block syntax: line prefixes (headings, quotes, list markers) and whole syntax lines. */
function stripLine(line: string): string | undefined {
  let s = line;
  if (/^\s*(```|~~~)/.test(s)) return undefined;
  if (/^\s{0,3}([-*_=])(\s*\1){2,}\s*$/.test(s)) return undefined;
  if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(s)) return undefined;
  if (/^\s{0,3}\[[^\]]+\]:\s*\S+/.test(s)) return undefined;
  for (;;) {
    const before = s;
    s = s.replace(/^\s*>\s?/, '');
    s = s.replace(/^\s*([-*+]|\d{1,9}[.)])\s+/, '');
    s = s.replace(/^\s*\[[ xX]\]\s+/, '');
    if (s === before) break;
  }
  const heading = /^\s{0,3}#{1,6}(\s+|$)/;
  if (heading.test(s)) {
    // A heading reads as a label for the text after it once lines are joined.
    s = s
      .replace(heading, '')
      .replace(/\s+#+\s*$/, '')
      .trim();
    if (s !== '' && !/[.:!?…]$/.test(s)) s += ':';
  }
  if (s.includes('|')) s = s.replace(/^\s*\||\|\s*$/g, '').replace(/\s*\|\s*/g, ' ');
  return s;
}

/** Inline syntax: links, images, code spans, emphasis, autolinks, HTML tags, escapes. */
function stripInline(text: string): string {
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
    .replace(/!\[([^\]]*)\]\([^)]*\)?/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)?/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]*)>/gi, '$1')
    .replace(/<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>/gi, '')
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/(^|\s)(\*{1,3}|_{1,3}|~~)(?=\S)/g, '$1')
    .replace(/\*\*|~~/g, '')
    .replace(/`+/g, '');
  s = s
    .replace(/\uE001(\d+)\uE001/g, (_, i: string) => code[Number(i)] ?? '')
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => escaped[Number(i)] ?? '');
  return decodeEntities(s);
}

/** The words of a markdown text on one line, without markdown syntax or HTML. */
export function markdownToPlainText(markdown: string): string {
  const kept: string[] = [];
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const stripped = stripLine(line);
    if (stripped !== undefined) kept.push(stripped);
  }
  return stripInline(kept.join('\n')).replace(/\s+/g, ' ').trim();
}

/** The first `length` code points of the plain text of `markdown`. */
export function plainExcerpt(markdown: string, length: number): string {
  const text = markdownToPlainText(markdown);
  let out = '';
  let count = 0;
  for (const ch of text) {
    if (count === length) break;
    out += ch;
    count++;
  }
  return out;
}

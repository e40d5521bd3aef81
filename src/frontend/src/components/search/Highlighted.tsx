import { highlightSegments } from './highlight';

/** `text` with the words that match the search stems in <mark>. */
export function Highlighted({ text, stems }: { text: string; stems: readonly string[] }) {
  return (
    <>
      {highlightSegments(text, stems).map((s, i) =>
        s.match ? <mark key={i}>{s.text}</mark> : s.text,
      )}
    </>
  );
}

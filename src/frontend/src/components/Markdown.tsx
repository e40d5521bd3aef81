import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** Only absolute http(s) and mailto links survive; everything else (javascript:, data:, relative) is dropped. */
export function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    return SAFE_PROTOCOLS.has(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

const components: Components = {
  a: ({ href, children }) => {
    const safe = href ? safeUrl(href) : undefined;
    if (!safe) return <span className="md-unsafe-link">{children}</span>;
    return (
      <a href={safe} rel="noopener noreferrer nofollow" target="_blank">
        {children}
      </a>
    );
  },
  // Remote images would let any author track readers; they are shown as links instead.
  img: ({ src, alt }) => {
    const safe = typeof src === 'string' ? safeUrl(src) : undefined;
    const label = alt ? `Image: ${alt}` : 'Image';
    return safe ? (
      <a href={safe} rel="noopener noreferrer nofollow" target="_blank">
        {label}
      </a>
    ) : (
      <span>{label}</span>
    );
  },
  // Headings inside user text would break the page outline; they render as strong paragraphs.
  h1: ({ children }) => <p className="md-heading">{children}</p>,
  h2: ({ children }) => <p className="md-heading">{children}</p>,
  h3: ({ children }) => <p className="md-heading">{children}</p>,
  h4: ({ children }) => <p className="md-heading">{children}</p>,
  h5: ({ children }) => <p className="md-heading">{children}</p>,
  h6: ({ children }) => <p className="md-heading">{children}</p>,
};

/** Renders user-written markdown without raw HTML and with only safe links. */
export function MarkdownText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      <Markdown
        remarkPlugins={[remarkGfm]}
        skipHtml
        urlTransform={(url) => safeUrl(url) ?? ''}
        components={components}
      >
        {text}
      </Markdown>
    </div>
  );
}

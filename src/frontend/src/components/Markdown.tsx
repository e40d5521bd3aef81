import type { ReactNode } from 'react';
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
  // Each block takes its direction from its own first strong character, so an Arabic paragraph
  // in an English comment (or the reverse) reads in its own direction.
  p: ({ node: _node, ...props }) => <p dir="auto" {...props} />,
  li: ({ node: _node, ...props }) => <li dir="auto" {...props} />,
  td: ({ node: _node, ...props }) => <td dir="auto" {...props} />,
  th: ({ node: _node, ...props }) => <th dir="auto" {...props} />,
  // Headings inside user text would break the page outline; they render as strong paragraphs.
  h1: ({ children }) => <MdHeading>{children}</MdHeading>,
  h2: ({ children }) => <MdHeading>{children}</MdHeading>,
  h3: ({ children }) => <MdHeading>{children}</MdHeading>,
  h4: ({ children }) => <MdHeading>{children}</MdHeading>,
  h5: ({ children }) => <MdHeading>{children}</MdHeading>,
  h6: ({ children }) => <MdHeading>{children}</MdHeading>,
};

function MdHeading({ children }: { children?: ReactNode }) {
  return (
    <p className="md-heading" dir="auto">
      {children}
    </p>
  );
}

/** Renders user-written markdown without raw HTML and with only safe links. */
export function MarkdownText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className ? `markdown ${className}` : 'markdown'} dir="auto">
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

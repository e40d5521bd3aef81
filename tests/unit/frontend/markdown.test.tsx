import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MarkdownText, safeUrl } from '../../../src/frontend/src/components/Markdown';

describe('markdown safety', () => {
  it('does not turn javascript: or data: URLs into links', () => {
    const { container } = render(
      <MarkdownText
        text={'[click](javascript:alert(1)) [d](data:text/html,hi) [ok](https://ok.example)'}
      />,
    );
    const hrefs = Array.from(container.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['https://ok.example/']);
    expect(container.innerHTML).not.toContain('javascript:');
    expect(container.innerHTML).not.toContain('data:text');
    expect(container.textContent).toContain('click');
  });

  it('does not render raw HTML', () => {
    const { container } = render(
      <MarkdownText
        text={'Hello <script>window.pwned = 1</script> <img src=x onerror="alert(1)"> <b>bold?</b>'}
      />,
    );
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.innerHTML).not.toContain('onerror');
  });

  it('safe links get rel="noopener noreferrer nofollow"', () => {
    const { container } = render(
      <MarkdownText text={'See https://forum.dfinity.org and [mail](mailto:a@b.c)'} />,
    );
    const links = Array.from(container.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://forum.dfinity.org/',
      'mailto:a@b.c',
    ]);
    for (const a of links) expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  });

  it('renders GFM and images only as links', () => {
    const { container } = render(
      <MarkdownText text={'- [x] done\n\n![logo](https://x.example/l.png)\n\n~~old~~'} />,
    );
    expect(container.querySelector('input[type="checkbox"]')).not.toBeNull();
    expect(container.querySelector('del')).not.toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('Image: logo');
  });

  it('safeUrl allows only http, https and mailto', () => {
    expect(safeUrl('https://a.b/c')).toBe('https://a.b/c');
    expect(safeUrl('  JaVaScRiPt:alert(1)')).toBeUndefined();
    expect(safeUrl('vbscript:x')).toBeUndefined();
    expect(safeUrl('/relative')).toBeUndefined();
  });
});

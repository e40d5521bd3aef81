import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';

/** Whether a key press belongs to something the user is typing in, so "/" must stay a slash. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

export function searchPath(query: string, status?: string): string {
  const params = new URLSearchParams({ q: query.trim() });
  if (status) params.set('status', status);
  return `/search?${params.toString()}`;
}

/**
 * The header's search landmark. "/" focuses it from anywhere but a field, as on GitHub and
 * Discourse; submitting opens the results page with the query in the URL, so results can be
 * shared and the back button returns to them.
 */
export function SearchBox() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const onResults = location.pathname === '/search';
  const urlQuery = onResults ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(urlQuery);
  const input = useRef<HTMLInputElement>(null);

  // The box shows the query of the results on screen, and empties when leaving them.
  useEffect(() => setText(urlQuery), [urlQuery]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <form
      role="search"
      aria-label="Proposals"
      className="search-box"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) {
          input.current?.focus();
          return;
        }
        const status = onResults ? (params.get('status') ?? undefined) : undefined;
        void navigate(searchPath(text, status));
      }}
    >
      <label htmlFor="site-search" className="visually-hidden">
        Search proposals
      </label>
      <input
        ref={input}
        id="site-search"
        type="search"
        name="q"
        value={text}
        placeholder="Search proposals"
        autoComplete="off"
        enterKeyHint="search"
        aria-keyshortcuts="/"
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="btn btn-small">
        Search
      </button>
    </form>
  );
}

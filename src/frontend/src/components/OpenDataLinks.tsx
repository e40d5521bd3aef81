import { Link } from 'react-router';
import { OPEN_DATA, openDataUrl } from '../api/openData';
import { appConfig } from '../config';

/** The address of an open-data document for the page the app is on. */
export function openDataHref(path: string): string {
  return openDataUrl(new URL(window.location.href), appConfig(), path);
}

/**
 * A feed the current page offers: announced to browsers and feed readers in the document's
 * head (React moves the `<link>` there) and, unless `hidden`, shown as a link.
 */
export function FeedLink({
  path,
  title,
  hidden,
}: {
  path: string;
  title: string;
  hidden?: boolean;
}) {
  const href = openDataHref(path);
  return (
    <>
      <link rel="alternate" type="application/atom+xml" title={title} href={href} />
      {!hidden && (
        <a href={href} type="application/atom+xml" className="feed-link">
          {title} (Atom)
        </a>
      )}
    </>
  );
}

/** The footer's links to the board's open data. */
export function OpenDataFooter() {
  const roadmap = openDataHref(OPEN_DATA.roadmap);
  return (
    <nav aria-label="Open data" className="open-data-links small">
      <FeedLink path={OPEN_DATA.feed} title="Newest proposals" />
      <a href={roadmap} type="application/json">
        Roadmap as JSON
      </a>
      <Link to="/api">API &amp; data</Link>
    </nav>
  );
}

import { shareUrl } from '../api/shareUrl';
import { appConfig } from '../config';
import { announce } from './LiveRegion';

/**
 * "Copy link" to this page, or to a place in it (`hash`, e.g. `comment-12`). The link is the
 * backend's page for it (`api/shareUrl.ts`), which link previews can read and which leads to
 * this page; where that cannot be named, the page's own address as it is (on a local network it
 * may carry `?canisterId=`), so the copied link opens the same page elsewhere.
 */
export function CopyLinkButton({
  what,
  hash,
  className = 'link-button',
}: {
  /** What the link leads to, as read out: "the proposal", "the comment by Ada". */
  what: string;
  hash?: string;
  className?: string;
}) {
  return (
    <button
      type="button"
      className={className}
      aria-label={`Copy link to ${what}`}
      onClick={() => {
        const url = shareUrl(new URL(window.location.href), appConfig().backendCanisterId, hash);
        // The clipboard needs a secure context and permission; else the link is read out.
        const copied = navigator.clipboard?.writeText(url);
        const fallback = () => announce(`Copy this link: ${url}`);
        if (copied) copied.then(() => announce(`Link to ${what} copied.`), fallback);
        else fallback();
      }}
    >
      Copy link
    </button>
  );
}

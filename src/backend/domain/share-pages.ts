/**
 * Pages for shared links: what a link preview (Slack, Mastodon, a search engine) reads from a
 * proposal's, a roadmap item's or a comment's address without running JavaScript — the
 * title, a plain excerpt and OpenGraph and Twitter tags — and a redirect that takes people
 * on to the same page in the app. The app itself is a single-page bundle served as static
 * assets, whose one index.html cannot say what each page is about; the canister's HTTP
 * interface can (see canister.ts `http_request`).
 *
 * Hidden content reads as hidden here too: a preview never shows what moderators hid.
 */
import type { Id, ProposalStatus, RoadmapStatus } from './model';

export const SITE_NAME = 'Roadmap Commons';

/** What a page is about, as the preview shows it. */
export type ShareSubject = {
  title: string;
  description: string;
  appPath: string;
  /** Atom feeds about it (paths on this host), besides the board's newest proposals. */
  feeds?: { title: string; path: string }[];
};

/** The feed every page announces (open-data.ts). */
const BOARD_FEED = { title: 'Newest proposals', path: '/feed.atom' };

/** Reads what the pages show; each answer respects hiding as an anonymous reader's would. */
export type ShareSource = {
  proposal(id: Id):
    | {
        title: string;
        excerpt: string;
        status: ProposalStatus;
        up: number;
        down: number;
        comments: number;
        hidden: boolean;
      }
    | undefined;
  item(
    id: Id,
  ): { title: string; description: string; status: RoadmapStatus; supporters: number } | undefined;
  comment(id: Id):
    | {
        body: string;
        authorName: string | undefined;
        /** The app path of what it comments on, and its title. */
        onPath: string;
        onTitle: string;
        gone: boolean;
      }
    | undefined;
};

export type SharePage = { status: number; html: string };

/** Descriptions are cut here (previews show about two lines). */
const DESCRIPTION_LENGTH = 200;

const ID = /^[0-9]{1,19}$/;

/** A proposal status as people read it (the feeds use these too). */
export const PROPOSAL_STATUS: Record<string, string> = {
  Open: 'Open',
  UnderReview: 'Under review',
  Planned: 'Planned',
  Declined: 'Declined',
  Duplicate: 'Duplicate',
  Done: 'Done',
};
const ITEM_STATUS: Record<string, string> = {
  Deployed: 'Deployed',
  InProgress: 'In progress',
  Upcoming: 'Upcoming',
  Future: 'Future',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the path names, or undefined when it names nothing that exists. */
export function shareSubject(source: ShareSource, path: string): ShareSubject | undefined {
  const parts = path.split('/').filter((part) => part !== '');
  const [kind, idText] = parts;
  if (parts.length === 0) {
    return {
      title: SITE_NAME,
      description:
        'The public roadmap of the platform: read it, propose ideas, discuss them and vote on priorities, on chain.',
      appPath: '/',
    };
  }
  if (parts.length === 1 && kind === 'proposals') {
    return {
      title: `Proposals · ${SITE_NAME}`,
      description: 'Ideas for the platform, discussed and voted on by its community.',
      appPath: '/proposals',
    };
  }
  if (parts.length !== 2 && !(parts.length === 3 && kind === 'roadmap')) return undefined;
  if (kind === 'proposals' && idText !== undefined && ID.test(idText)) {
    const proposal = source.proposal(BigInt(idText));
    if (proposal === undefined) return undefined;
    const appPath = `/proposals/${idText}`;
    if (proposal.hidden) {
      return {
        title: 'Hidden proposal',
        description: 'The moderators hid this proposal.',
        appPath,
      };
    }
    const status = PROPOSAL_STATUS[Object.keys(proposal.status)[0]!] ?? '';
    const tally = `${status} · ${plural(proposal.up, 'up-vote', 'up-votes')}, ${plural(proposal.down, 'down-vote', 'down-votes')}, ${plural(proposal.comments, 'comment', 'comments')}`;
    return {
      title: proposal.title,
      description: proposal.excerpt === '' ? tally : `${tally}. ${proposal.excerpt}`,
      appPath,
      feeds: [
        { title: `Comments on “${proposal.title}”`, path: `/proposals/${idText}/comments.atom` },
      ],
    };
  }
  if (kind === 'comments' && idText !== undefined && ID.test(idText)) {
    const comment = source.comment(BigInt(idText));
    if (comment === undefined) return undefined;
    const by = comment.authorName ?? 'A member';
    return {
      title: `${by} on “${comment.onTitle}”`,
      description: comment.gone ? 'This comment was removed.' : comment.body,
      appPath: `${comment.onPath}#comment-${idText}`,
    };
  }
  if (kind === 'roadmap' && parts[1] === 'items' && parts[2] !== undefined && ID.test(parts[2])) {
    const item = source.item(BigInt(parts[2]));
    if (item === undefined) return undefined;
    const status = ITEM_STATUS[Object.keys(item.status)[0]!] ?? '';
    const support = `${status} · ${plural(item.supporters, 'supporter', 'supporters')}`;
    return {
      title: item.title,
      description: item.description === '' ? support : `${support}. ${item.description}`,
      appPath: `/roadmap/items/${parts[2]}`,
    };
  }
  return undefined;
}

/**
 * The page for `path` (no query or fragment). `appOrigin` is where the app is served; without
 * it the page has its tags but no redirect.
 */
export function sharePage(source: ShareSource, path: string, appOrigin?: string): SharePage {
  const subject = shareSubject(source, path);
  if (subject === undefined) {
    return {
      status: 404,
      html: page(
        { title: `Not found · ${SITE_NAME}`, description: 'Nothing is here.', appPath: '/' },
        appOrigin,
        false,
      ),
    };
  }
  return { status: 200, html: page(subject, appOrigin, true) };
}

function page(subject: ShareSubject, appOrigin: string | undefined, redirect: boolean): string {
  const title = escapeHtml(subject.title);
  const description = escapeHtml(shorten(subject.description, DESCRIPTION_LENGTH));
  const url = appOrigin === undefined ? undefined : escapeHtml(`${appOrigin}${subject.appPath}`);
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title === escapeHtml(SITE_NAME) ? title : `${title} · ${SITE_NAME}`}</title>`,
    `<meta name="description" content="${description}">`,
    `<meta property="og:site_name" content="${SITE_NAME}">`,
    '<meta property="og:type" content="article">',
    `<meta property="og:title" content="${title}">`,
    `<meta property="og:description" content="${description}">`,
    '<meta name="twitter:card" content="summary">',
    `<meta name="twitter:title" content="${title}">`,
    `<meta name="twitter:description" content="${description}">`,
    ...[BOARD_FEED, ...(subject.feeds ?? [])].map(
      (feed) =>
        `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(feed.title)}" href="${feed.path}">`,
    ),
  ];
  if (url !== undefined) {
    head.push(`<meta property="og:url" content="${url}">`, `<link rel="canonical" href="${url}">`);
    if (redirect) head.push(`<meta http-equiv="refresh" content="0; url=${url}">`);
  }
  const link = url === undefined ? '' : `<p><a href="${url}">Open it in ${SITE_NAME}</a></p>`;
  return `<!doctype html>\n<html lang="en"><head>${head.join('')}</head><body><main><h1>${title}</h1><p>${description}</p>${link}</main></body></html>\n`;
}

/** The first `length` characters, cut at a space, with an ellipsis when anything was cut. */
function shorten(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return `${(space > length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

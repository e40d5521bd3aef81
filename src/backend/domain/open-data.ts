/**
 * The board's public data in open formats, for people and programs that do not run the app:
 * Atom feeds of the newest proposals and of a proposal's comments, the roadmap as JSON in the
 * shape of data/roadmap.json with its tallies, and a paged NDJSON export of everything public,
 * enough to mirror or audit the board. docs/open-data.md describes every format.
 *
 * Everything is read as an anonymous visitor sees it: hidden proposals and comments, and
 * deleted comments, appear only as `{"hidden": true}` / `{"deleted": true}` markers in the
 * export (so a mirror knows to drop them) and not at all in the feeds.
 */
import type {
  ActivityEntry,
  Comment,
  Id,
  Item,
  Merge,
  Milestone,
  PrincipalId,
  Proposal,
  ProposalRevision,
  ProposalStatus,
  ResponseInfo,
  Roadmap,
  Target,
  Time,
} from './model';
import { PROPOSAL_STATUS, SITE_NAME } from './share-pages';

/** Reads, as an anonymous visitor: every text decoded, nothing hidden unless marked. */
export type OpenDataSource = {
  /** The newest visible proposals, newest first. */
  newestProposals(limit: number): Proposal[];
  /** A proposal with what the export says of it; `hidden` when moderators hid it. */
  proposal(id: Id):
    | {
        proposal: Proposal;
        hidden: boolean;
        merge: Merge | undefined;
        response: ResponseInfo | undefined;
      }
    | undefined;
  /** How many earlier versions a visible proposal has; undefined when hidden or unknown. */
  revisionCount(id: Id): number | undefined;
  revisions(id: Id, from: number, limit: number): ProposalRevision[];
  /** The newest visible, not deleted comments on a target, newest first. */
  newestComments(target: Target, limit: number): Comment[];
  /** A comment; `onHidden` when what it comments on is hidden. */
  comment(id: Id): { comment: Comment; onHidden: boolean } | undefined;
  activity(id: Id): ActivityEntry | undefined;
  roadmap(): Roadmap;
  lastId(kind: 'proposal' | 'comment' | 'activity'): Id;
  displayName(member: PrincipalId): string | undefined;
  principalText(member: PrincipalId): string;
};

/** Where the answer's links point: this canister's HTTP origin and the app's, when known. */
export type OpenDataOrigins = {
  /** The canister's own origin (`https://<id>.icp0.io`), for self links; '' for relative. */
  self: string;
  /** The app's origin, for links people open; undefined when unknown. */
  app: string | undefined;
  /** The backend canister's id, which makes entry ids unique and permanent. */
  boardId: string;
};

export type OpenDataResponse = {
  status: number;
  contentType: string;
  body: string;
  /** How long caches may keep it, in seconds. */
  maxAge: number;
  /** Further headers (the export's `Link: <…>; rel="next"`). */
  headers: [string, string][];
};

export const ATOM = 'application/atom+xml; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';
export const NDJSON = 'application/x-ndjson; charset=utf-8';

/** Entries in a feed. */
export const FEED_LENGTH = 50;
/** Export page sizes: the default and the largest (bounded by the 2 MB reply limit). */
const PAGE = {
  proposals: { initial: 50, max: 50 },
  revisions: { initial: 50, max: 50 },
  comments: { initial: 100, max: 100 },
  activity: { initial: 200, max: 500 },
} as const;
type Collection = keyof typeof PAGE;
const COLLECTIONS = Object.keys(PAGE) as Collection[];

/** The version of the export's format; docs/open-data.md says what each version holds. */
export const EXPORT_FORMAT = 'roadmap-commons-export/1';

const ID = /^[0-9]{1,19}$/;

/** Whether `path` is one of the open-data paths (the canister routes those here). */
export function isOpenDataPath(path: string): boolean {
  return (
    path === '/feed.atom' ||
    path === '/roadmap.json' ||
    path === '/export' ||
    path.startsWith('/export/') ||
    /^\/proposals\/[0-9]{1,19}\/comments\.atom$/.test(path)
  );
}

/**
 * The answer for `path` with its query parameters, or undefined when the path is not open data.
 * `now` dates an empty feed.
 */
export function openData(
  source: OpenDataSource,
  path: string,
  query: ReadonlyMap<string, string>,
  origins: OpenDataOrigins,
  now: Time,
): OpenDataResponse | undefined {
  if (path === '/feed.atom') return proposalsFeed(source, origins, now);
  if (path === '/roadmap.json' || path === '/export/roadmap.json') {
    return json(roadmapDocument(source));
  }
  if (path === '/export' || path === '/export/') return json(exportIndex(origins));
  const comments = /^\/proposals\/([0-9]{1,19})\/comments\.atom$/.exec(path);
  if (comments !== null) return commentsFeed(source, BigInt(comments[1]!), origins, now);
  const page = /^\/export\/([a-z]+)\.ndjson$/.exec(path);
  if (page !== null && (COLLECTIONS as string[]).includes(page[1]!)) {
    return exportPage(source, page[1] as Collection, query, origins);
  }
  if (path.startsWith('/export/')) return notFound('No such export. See /export for the list.');
  return undefined;
}

// ---- feeds

function proposalsFeed(
  source: OpenDataSource,
  origins: OpenDataOrigins,
  now: Time,
): OpenDataResponse {
  const proposals = source.newestProposals(FEED_LENGTH);
  const entries = proposals.map((p) => {
    const tally = `${p.up} up, ${p.down} down, ${p.commentCount} ${p.commentCount === 1 ? 'comment' : 'comments'}`;
    return entry({
      id: entryId(origins, `proposal:${p.id}`),
      title: p.title,
      published: p.createdAt,
      updated: p.updatedAt,
      author: authorOf(source, p.author),
      link: appLink(origins, `/proposals/${p.id}`),
      categories: [...p.tags.map((tag) => ({ term: tag })), statusCategory(p.status)],
      summary: `${statusLabel(p.status)} · ${tally}`,
      content: p.body,
    });
  });
  return atom({
    id: entryId(origins, 'proposals'),
    title: `${SITE_NAME}: newest proposals`,
    self: `${origins.self}/feed.atom`,
    alternate: appLink(origins, '/proposals?sort=new'),
    updated: newest(proposals.map((p) => p.updatedAt)) ?? now,
    entries,
  });
}

function commentsFeed(
  source: OpenDataSource,
  id: Id,
  origins: OpenDataOrigins,
  now: Time,
): OpenDataResponse {
  const found = source.proposal(id);
  if (found === undefined || found.hidden) return notFound('No such proposal.');
  const comments = source.newestComments({ Proposal: id }, FEED_LENGTH);
  const path = `/proposals/${id}`;
  const entries = comments.map((c) =>
    entry({
      id: entryId(origins, `comment:${c.id}`),
      title: `${authorOf(source, c.author)} on “${found.proposal.title}”`,
      published: c.createdAt,
      updated: c.updatedAt,
      author: authorOf(source, c.author),
      link: appLink(origins, `${path}#comment-${c.id}`),
      categories: [],
      summary: undefined,
      content: c.body,
    }),
  );
  return atom({
    id: entryId(origins, `proposal:${id}:comments`),
    title: `${SITE_NAME}: comments on “${found.proposal.title}”`,
    self: `${origins.self}${path}/comments.atom`,
    alternate: appLink(origins, path),
    updated: newest(comments.map((c) => c.updatedAt)) ?? found.proposal.updatedAt ?? now,
    entries,
  });
}

type AtomEntry = {
  id: string;
  title: string;
  published: Time;
  updated: Time;
  author: string;
  link: string;
  categories: { term: string; label?: string }[];
  summary: string | undefined;
  content: string;
};

function entry(e: AtomEntry): string {
  const categories = e.categories
    .map(
      (c) =>
        `<category term="${xml(c.term)}"${c.label === undefined ? '' : ` label="${xml(c.label)}"`}/>`,
    )
    .join('');
  const summary = e.summary === undefined ? '' : `<summary type="text">${xml(e.summary)}</summary>`;
  return (
    `<entry><id>${xml(e.id)}</id><title type="text">${xml(e.title)}</title>` +
    `<published>${rfc3339(e.published)}</published><updated>${rfc3339(e.updated)}</updated>` +
    `<author><name>${xml(e.author)}</name></author>` +
    `<link rel="alternate" type="text/html" href="${xml(e.link)}"/>${categories}${summary}` +
    `<content type="text">${xml(e.content)}</content></entry>`
  );
}

function atom(feed: {
  id: string;
  title: string;
  self: string;
  alternate: string;
  updated: Time;
  entries: string[];
}): OpenDataResponse {
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<feed xmlns="http://www.w3.org/2005/Atom">' +
    `<id>${xml(feed.id)}</id><title type="text">${xml(feed.title)}</title>` +
    `<updated>${rfc3339(feed.updated)}</updated>` +
    `<link rel="self" type="application/atom+xml" href="${xml(feed.self)}"/>` +
    `<link rel="alternate" type="text/html" href="${xml(feed.alternate)}"/>` +
    `<generator>${SITE_NAME}</generator>` +
    feed.entries.join('\n') +
    '</feed>\n';
  return { status: 200, contentType: ATOM, body, maxAge: 60, headers: [] };
}

// ---- the roadmap

/** data/roadmap.json's shape, with ids, tallies and comment counts added. */
function roadmapDocument(source: OpenDataSource): unknown {
  const roadmap = source.roadmap();
  const power = new Map(roadmap.itemPower.map((p) => [p.itemId, p.power]));
  return {
    themes: roadmap.themes.map(({ theme, milestones }) => ({
      id: String(theme.id),
      slug: theme.slug,
      title: theme.title,
      summary: theme.summary,
      order: theme.order,
      milestones: milestones.map(({ milestone, items }) => ({
        ...milestoneFields(milestone),
        items: items.map((item) => itemFields(item, power.get(item.id) ?? 0n)),
      })),
    })),
  };
}

function milestoneFields(m: Milestone): Record<string, unknown> {
  return {
    id: String(m.id),
    slug: m.slug,
    name: m.name,
    summary: m.summary,
    status: variant(m.status),
    eta: m.eta[0] ?? null,
    order: m.order,
    comments: m.commentCount,
  };
}

function itemFields(item: Item, power: bigint): Record<string, unknown> {
  return {
    id: String(item.id),
    slug: item.slug,
    title: item.title,
    description: item.description,
    status: variant(item.status),
    links: item.links,
    order: item.order,
    priority: { votes: item.priority.votes, supporters: item.priority.supporters },
    supporterPowerE8s: String(power),
    comments: item.commentCount,
    updatedAt: rfc3339(item.updatedAt),
  };
}

// ---- the export

function exportIndex(origins: OpenDataOrigins): unknown {
  const collections: Record<string, string> = {};
  for (const name of COLLECTIONS) collections[name] = `${origins.self}/export/${name}.ndjson`;
  return {
    format: EXPORT_FORMAT,
    board: origins.boardId,
    roadmap: `${origins.self}/roadmap.json`,
    collections,
    paging:
      'Each collection is NDJSON, one object a line, oldest first. Follow the Link header ' +
      'with rel="next" until there is none; ?after=<cursor> resumes, ?limit=<n> sets the page size.',
    documentation: 'docs/open-data.md in the source repository',
  };
}

function exportPage(
  source: OpenDataSource,
  collection: Collection,
  query: ReadonlyMap<string, string>,
  origins: OpenDataOrigins,
): OpenDataResponse {
  const limitText = query.get('limit');
  const { initial, max } = PAGE[collection];
  let limit: number = initial;
  if (limitText !== undefined) {
    if (!/^[0-9]{1,4}$/.test(limitText) || Number(limitText) === 0) {
      return badRequest(`limit must be a number from 1 to ${max}`);
    }
    limit = Math.min(max, Number(limitText));
  }
  const after = query.get('after');
  const page =
    collection === 'revisions'
      ? revisionsPage(source, after, limit)
      : idPage(source, collection, after, limit);
  if (typeof page === 'string') return badRequest(page);
  const headers: [string, string][] = [];
  if (page.next !== undefined) {
    const href = `${origins.self}/export/${collection}.ndjson?after=${page.next}&limit=${limit}`;
    headers.push(['Link', `<${href}>; rel="next"`]);
  }
  const body = page.lines.map((line) => JSON.stringify(line)).join('\n');
  return {
    status: 200,
    contentType: NDJSON,
    body: body === '' ? '' : `${body}\n`,
    maxAge: 60,
    headers,
  };
}

type Page = { lines: unknown[]; next: string | undefined };

/** Proposals, comments or activity entries with ids above `after`, oldest first. */
function idPage(
  source: OpenDataSource,
  collection: 'proposals' | 'comments' | 'activity',
  after: string | undefined,
  limit: number,
): Page | string {
  if (after !== undefined && !ID.test(after)) return 'after must be an id from the last page';
  const kind =
    collection === 'proposals' ? 'proposal' : collection === 'comments' ? 'comment' : 'activity';
  const last = source.lastId(kind);
  const lines: unknown[] = [];
  let id = after === undefined ? 1n : BigInt(after) + 1n;
  for (; id <= last && lines.length < limit; id++) {
    const line =
      kind === 'proposal'
        ? proposalLine(source, id)
        : kind === 'comment'
          ? commentLine(source, id)
          : activityLine(source, id);
    if (line !== undefined) lines.push(line);
  }
  return { lines, next: id <= last ? String(id - 1n) : undefined };
}

function proposalLine(source: OpenDataSource, id: Id): unknown {
  const found = source.proposal(id);
  if (found === undefined) return undefined;
  if (found.hidden) return { type: 'proposal', id: String(id), hidden: true };
  const { proposal: p, merge, response } = found;
  const official = p.officialResponse[0];
  return {
    type: 'proposal',
    id: String(p.id),
    title: p.title,
    body: p.body,
    tags: p.tags,
    themeId: p.themeId.length === 1 ? String(p.themeId[0]) : null,
    ...statusFields(p.status),
    author: source.principalText(p.author),
    authorName: source.displayName(p.author) ?? null,
    createdAt: rfc3339(p.createdAt),
    updatedAt: rfc3339(p.updatedAt),
    up: p.up,
    down: p.down,
    upPowerE8s: String(p.upPower),
    downPowerE8s: String(p.downPower),
    comments: p.commentCount,
    revisions: p.revisionCount,
    officialResponse:
      official === undefined
        ? null
        : {
            body: official.body,
            by: source.principalText(official.by),
            at: rfc3339(official.at),
            forStatus: response === undefined ? null : variant(response.forStatus),
          },
    mergedInto: merge === undefined ? null : String(merge.into),
  };
}

function commentLine(source: OpenDataSource, id: Id): unknown {
  const found = source.comment(id);
  if (found === undefined) return undefined;
  const { comment: c, onHidden } = found;
  if (c.deleted.length === 1) return { type: 'comment', id: String(id), deleted: true };
  if (c.hidden.length === 1 || onHidden) return { type: 'comment', id: String(id), hidden: true };
  return {
    type: 'comment',
    id: String(c.id),
    on: targetFields(c.target),
    parentId: c.parentId.length === 1 ? String(c.parentId[0]) : null,
    author: source.principalText(c.author),
    authorName: source.displayName(c.author) ?? null,
    body: c.body,
    createdAt: rfc3339(c.createdAt),
    updatedAt: rfc3339(c.updatedAt),
    revisions: c.revisionCount,
  };
}

/** Fields of activity entries that hold principals (written as principal text). */
const PRINCIPAL_FIELDS = new Set(['principal', 'member', 'by']);

function activityLine(source: OpenDataSource, id: Id): unknown {
  const entry = source.activity(id);
  if (entry === undefined) return undefined;
  const kind = Object.keys(entry.kind)[0]!;
  const details = (entry.kind as Record<string, unknown>)[kind];
  return {
    type: 'activity',
    id: String(entry.id),
    actor: source.principalText(entry.actor),
    at: rfc3339(entry.at),
    kind,
    details: plain(details, source, ''),
  };
}

/** A candid-shaped value as plain JSON: bigints as decimal text, opts as value or null. */
function plain(value: unknown, source: OpenDataSource, field: string): unknown {
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string') {
    return PRINCIPAL_FIELDS.has(field) ? source.principalText(value as PrincipalId) : value;
  }
  if (Array.isArray(value)) {
    // Candid's opt is [] or [x] in the domain model.
    if (OPTIONAL_FIELDS.has(field)) {
      return value.length === 0 ? null : plain(value[0], source, field);
    }
    return value.map((v) => plain(v, source, field));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value))
      out[key] = v === null ? true : plain(v, source, key);
    return out;
  }
  return value;
}

/** Fields of activity entries that are candid opts. */
const OPTIONAL_FIELDS = new Set(['until', 'note']);

/** Proposals one revisions page looks through at most (most have no earlier version). */
export const REVISION_SCAN = 10_000;

/**
 * Earlier versions of visible proposals, oldest first. The cursor is `<proposal>.<version>`,
 * where the next page starts, so a page can end inside a proposal's history or after looking
 * through REVISION_SCAN proposals that have none.
 */
function revisionsPage(
  source: OpenDataSource,
  after: string | undefined,
  limit: number,
): Page | string {
  let id = 1n;
  let from = 0;
  if (after !== undefined) {
    const match = /^([0-9]{1,19})\.([0-9]{1,9})$/.exec(after);
    if (match === null) return 'after must be a cursor from the last page';
    id = BigInt(match[1]!);
    from = Number(match[2]);
  }
  const last = source.lastId('proposal');
  const lines: unknown[] = [];
  for (let scanned = 0; id <= last; scanned++) {
    if (lines.length === limit || scanned === REVISION_SCAN)
      return { lines, next: `${id}.${from}` };
    const count = source.revisionCount(id) ?? 0;
    if (from < count) {
      const batch = source.revisions(id, from, limit - lines.length);
      batch.forEach((r, i) =>
        lines.push({
          type: 'revision',
          proposalId: String(id),
          version: from + i,
          title: r.title,
          body: r.body,
          tags: r.tags,
          replacedAt: rfc3339(r.replacedAt),
        }),
      );
      from += batch.length;
      if (from < count && batch.length > 0) continue;
    }
    id++;
    from = 0;
  }
  return { lines, next: undefined };
}

// ---- helpers

function json(value: unknown): OpenDataResponse {
  return {
    status: 200,
    contentType: JSON_TYPE,
    body: `${JSON.stringify(value)}\n`,
    maxAge: 60,
    headers: [],
  };
}

function notFound(message: string): OpenDataResponse {
  return error(404, message);
}

function badRequest(message: string): OpenDataResponse {
  return error(400, message);
}

function error(status: number, message: string): OpenDataResponse {
  return {
    status,
    contentType: JSON_TYPE,
    body: `${JSON.stringify({ error: message })}\n`,
    maxAge: 0,
    headers: [],
  };
}

function targetFields(target: Target): Record<string, string> {
  if ('Proposal' in target) return { proposal: String(target.Proposal) };
  if ('Item' in target) return { item: String(target.Item) };
  return { milestone: String(target.Milestone) };
}

function variant(value: object): string {
  return Object.keys(value)[0]!;
}

/** A status and what it refers to: the roadmap item it is planned as, the original, the reason. */
function statusFields(status: ProposalStatus): Record<string, string | null> {
  const kind = variant(status);
  const detail = (status as Record<string, unknown>)[kind];
  return {
    status: kind,
    plannedAs: 'Planned' in status ? String(status.Planned) : null,
    duplicateOf: 'Duplicate' in status ? String(status.Duplicate) : null,
    declinedBecause: 'Declined' in status ? String(detail) : null,
  };
}

function statusLabel(status: ProposalStatus): string {
  const kind = variant(status);
  return PROPOSAL_STATUS[kind] ?? kind;
}

function statusCategory(status: ProposalStatus): { term: string; label: string } {
  return { term: `status:${variant(status)}`, label: statusLabel(status) };
}

function authorOf(source: OpenDataSource, member: PrincipalId): string {
  return source.displayName(member) ?? source.principalText(member);
}

function entryId(origins: OpenDataOrigins, what: string): string {
  return `urn:icp:${origins.boardId}:${what}`;
}

function appLink(origins: OpenDataOrigins, path: string): string {
  return `${origins.app ?? origins.self}${path}`;
}

function newest(times: Time[]): Time | undefined {
  let max: Time | undefined;
  for (const t of times) if (max === undefined || t > max) max = t;
  return max;
}

/** Nanoseconds since the epoch as RFC 3339 (what Atom and the export use). */
export function rfc3339(time: Time): string {
  return new Date(Number(time / 1_000_000n)).toISOString();
}

/**
 * Text as XML character data or attribute value: markup characters escaped and the characters
 * XML 1.0 cannot carry at all (C0 controls other than tab and newline, lone surrogates,
 * U+FFFE/U+FFFF) dropped. Validated board text has none of the latter. Each replace runs only
 * where a native search found its character: a regex pass costs hundreds of instructions a
 * character in the canister.
 */
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text with none of those characters (and no surrogate at all): one pass of a char class. */
// eslint-disable-next-line no-control-regex
const PLAIN_XML = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]*$/y;

export function xml(text: string): string {
  let out = text;
  PLAIN_XML.lastIndex = 0;
  // Only text with a surrogate (emoji, other astral characters) or a forbidden character pays
  // for the search that tells pairs from lone halves.
  if (!PLAIN_XML.test(out)) out = out.replace(NOT_XML, '');
  if (out.indexOf('&') >= 0) out = out.replace(/&/g, '&amp;');
  if (out.indexOf('<') >= 0) out = out.replace(/</g, '&lt;');
  if (out.indexOf('>') >= 0) out = out.replace(/>/g, '&gt;');
  if (out.indexOf('"') >= 0) out = out.replace(/"/g, '&quot;');
  return out;
}

import { Link } from 'react-router';
import { candidMethods } from '../api/candidMethods';
import { OPEN_DATA } from '../api/openData';
import { openDataHref } from '../components/OpenDataLinks';
import { appConfig } from '../config';
import { usePageTitle } from './usePageTitle';

const COLLECTIONS: Array<[string, string]> = [
  ['proposals', 'every proposal with its status, tallies and official response'],
  ['revisions', 'the earlier versions of every proposal'],
  ['comments', 'every comment, on proposals, roadmap items and milestones'],
  ['activity', 'the public activity log: statuses, roadmap changes, moderation'],
];

/** How to read the board without the app: candid, feeds, JSON and the export. */
export default function ApiPage() {
  usePageTitle('API & data');
  const backend = appConfig().backendCanisterId;
  const feed = openDataHref(OPEN_DATA.feed);
  const roadmap = openDataHref(OPEN_DATA.roadmap);
  const exportIndex = openDataHref(OPEN_DATA.export);
  const methods = candidMethods();
  return (
    <article className="detail narrow api-page">
      <div className="page-head">
        <h1>API &amp; data</h1>
        <p className="lead">
          Everything on the board is public and on chain. Read it from your own code through the
          backend canister&apos;s candid interface, follow it in a feed reader, or download it whole
          to mirror or audit it.
        </p>
      </div>

      <section aria-labelledby="api-feeds" className="section">
        <h2 id="api-feeds">Feeds</h2>
        <ul>
          <li>
            <a href={feed} type="application/atom+xml">
              Newest proposals
            </a>{' '}
            (Atom): the 50 newest, with their text, tags, status and tallies.
          </li>
          <li>
            Comments on a proposal (Atom): each <Link to="/proposals">proposal</Link> links its own
            feed below its discussion.
          </li>
        </ul>
      </section>

      <section aria-labelledby="api-roadmap" className="section">
        <h2 id="api-roadmap">The roadmap as JSON</h2>
        <p>
          <a href={roadmap} type="application/json">
            roadmap.json
          </a>{' '}
          has the themes, milestones and items of the roadmap with their ids, priority votes,
          supporters and comment counts.
        </p>
      </section>

      <section aria-labelledby="api-export" className="section">
        <h2 id="api-export">Export</h2>
        <p>
          The <a href={exportIndex}>export</a> is every public record as NDJSON (one JSON object a
          line), oldest first, in pages. Follow each page&apos;s{' '}
          <code>Link: rel=&quot;next&quot;</code> header until there is none; <code>?after=</code>{' '}
          resumes from a cursor and <code>?limit=</code> sets the page size. Hidden and deleted
          content leaves only a marker, so a mirror knows to remove it.
        </p>
        <ul>
          {COLLECTIONS.map(([name, what]) => (
            <li key={name}>
              <a href={openDataHref(`/export/${name}.ndjson`)}>{name}</a>: {what}
            </li>
          ))}
        </ul>
        <p>
          Every answer carries an <code>ETag</code>: send it back in <code>If-None-Match</code> and
          an unchanged board answers <code>304 Not Modified</code>. The answers come from update
          calls, so they are agreed by the subnet and certified like every other reply.
        </p>
      </section>

      <section aria-labelledby="api-verify" className="section">
        <h2 id="api-verify">Verifying a tally</h2>
        <p>
          The backend keeps every proposal&apos;s tally (up, down, status) and every roadmap
          item&apos;s (priority votes, supporters) in a hash tree whose root the Internet Computer
          certifies. <code>getTallyProof</code> returns the subnet&apos;s certificate and a witness
          of the tallies you ask for. The app checks every tally it shows: the certificate&apos;s
          signature against the network&apos;s root key, its time (at most 5 minutes old), the
          witness&apos;s root against the certified data, and the numbers against the witness&apos;s
          leaves. The ✓ beside a tally links to that check, step by step, with the raw certificate
          and witness to repeat it with your own tools. Certified tallies follow each vote within
          about 2 seconds.
        </p>
      </section>

      <section aria-labelledby="api-candid" className="section">
        <h2 id="api-candid">The candid interface</h2>
        <p>
          The backend canister is <code className="principal">{backend}</code>. Call it with{' '}
          <code>@dfinity/agent</code>, <code>icp canister call</code> or{' '}
          <code>dfx canister call</code>; queries are free and need no sign-in, updates need a
          signed-in identity. Its {methods.length} methods:
        </p>
        <ul className="candid-methods">
          {methods.map((m) => (
            <li key={m.name}>
              <details>
                <summary>
                  <code>{m.name}</code>
                </summary>
                <pre>
                  <code>
                    {m.name} : {m.signature}
                  </code>
                </pre>
              </details>
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { networkRootKey } from '../api/actor';
import { sameTally, type TallyCheck, type TallyKind } from '../api/tallyCheck';
import { MAX_CERTIFICATE_AGE_MS } from '../api/verifyTallies';
import { ErrorNotice, Loading } from '../components/Feedback';
import { appConfig } from '../config';
import { queryKeys } from '../hooks/queryKeys';
import { useItem, useProposal, useTallyCheck } from '../hooks/queries';
import { usePageTitle } from './usePageTitle';
import NotFoundPage from './NotFoundPage';

type Shown = { up: number; down: number } | { votes: number; supporters: number };

const STEPS = [
  ['certificate', 'The certificate is signed by the Internet Computer'],
  ['freshness', 'The certificate is recent'],
  ['certified-data', 'The witness is what the canister certified'],
  ['witness', 'The witness holds this tally'],
] as const;

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/**
 * How one tally was checked against the Internet Computer's certificate, step by step, with
 * the raw certificate and witness, so that anyone can repeat the check with their own tools.
 * The verified marks beside tallies link here.
 */
export default function VerifyTallyPage() {
  const params = useParams();
  const kind: TallyKind | undefined =
    params.kind === 'proposals' ? 'proposal' : params.kind === 'items' ? 'item' : undefined;
  const id = params.id ?? '';
  usePageTitle('Checking a tally');
  if (kind === undefined || !/^[0-9]{1,19}$/.test(id)) return <NotFoundPage />;
  return kind === 'proposal' ? <ProposalTally id={id} /> : <ItemTally id={id} />;
}

function ProposalTally({ id }: { id: string }) {
  const proposal = useProposal(id);
  if (proposal.isPending) return <Loading />;
  if (proposal.isError) return <ErrorNotice error={proposal.error} />;
  if (!proposal.data) return <NotFoundPage />;
  const { up, down, title } = proposal.data;
  return (
    <TallyCheckView
      kind="proposal"
      id={id}
      what={<Link to={`/proposals/${id}`}>{title || `Proposal #${id}`}</Link>}
      shown={{ up, down }}
      shownText={`${up} up, ${down} down`}
    />
  );
}

function ItemTally({ id }: { id: string }) {
  const item = useItem(id);
  if (item.isPending) return <Loading />;
  if (item.isError) return <ErrorNotice error={item.error} />;
  if (!item.data) return <NotFoundPage />;
  const { votes, supporters } = item.data.item.priority;
  return (
    <TallyCheckView
      kind="item"
      id={id}
      what={<Link to={`/roadmap/items/${id}`}>{item.data.item.title}</Link>}
      shown={{ votes, supporters }}
      shownText={`${votes} priority votes from ${supporters} supporters`}
    />
  );
}

function TallyCheckView({
  kind,
  id,
  what,
  shown,
  shownText,
}: {
  kind: TallyKind;
  id: string;
  what: ReactNode;
  shown: Shown;
  shownText: string;
}) {
  const check = useTallyCheck(kind, id);
  const rootKey = useQuery({
    queryKey: queryKeys.rootKey(),
    queryFn: networkRootKey,
    staleTime: Infinity,
  });
  const result = check.data;
  const path = `tallies/${kind === 'proposal' ? 'proposals' : 'items'}/${id}`;
  return (
    <article className="detail narrow verify-page">
      <div className="page-head">
        <h1>Checking a tally</h1>
        <p className="lead">
          {what}: the app shows {shownText}. Here is how that is checked against the Internet
          Computer&apos;s certificate, which no server between the network and you can forge.
        </p>
      </div>
      {result === undefined ? (
        <Loading label="Checking…" />
      ) : (
        <>
          <section aria-labelledby="verify-steps" className="section">
            <h2 id="verify-steps">The check</h2>
            <ol className="verify-steps">
              {STEPS.map(([step, label], index) => {
                const state = stepState(result, index);
                return (
                  <li key={step} className={`verify-step verify-${state}`}>
                    <span aria-hidden="true">
                      {state === 'passed' ? '✓' : state === 'failed' ? '✗' : '–'}
                    </span>{' '}
                    {label}: <strong>{state === 'not-run' ? 'not checked' : state}</strong>
                    {state === 'failed' && result.outcome === 'failed' && (
                      <p className="small">{result.message}</p>
                    )}
                  </li>
                );
              })}
              <li className={`verify-step verify-${shownState(result, shown)}`}>
                <span aria-hidden="true">{shownState(result, shown) === 'passed' ? '✓' : '✗'}</span>{' '}
                The app shows the certified numbers: <strong>{shownLabel(result, shown)}</strong>
              </li>
            </ol>
            <button type="button" className="btn btn-small" onClick={() => void check.refetch()}>
              Check again
            </button>
          </section>
          <section aria-labelledby="verify-how" className="section">
            <h2 id="verify-how">What each step means</h2>
            <ol>
              <li>
                The backend answered <code>getTallyProof</code> with the IC certificate of its
                subnet. The certificate carries a BLS signature by the Internet Computer&apos;s root
                key (
                {appConfig().network === 'ic'
                  ? 'built into the agent'
                  : "this development network's own, fetched from it"}
                ), checked with the agent&apos;s <code>Certificate.create</code>.
              </li>
              <li>
                Its <code>/time</code> must be within {MAX_CERTIFICATE_AGE_MS / 60_000} minutes of
                your clock, so an old certificate cannot be replayed.
              </li>
              <li>
                The witness is a pruned hash tree in the IC&apos;s format. Its root hash must equal
                the <code>certified_data</code> the certificate holds for the backend canister{' '}
                <code className="principal">{appConfig().backendCanisterId}</code>.
              </li>
              <li>
                The witness has a leaf at <code>{path}</code> (the id as 8 bytes, big-endian):{' '}
                {kind === 'proposal'
                  ? '17 bytes: up (u32), down (u32), status (u8: Open, UnderReview, Planned, Declined, Duplicate, Done), the item or proposal the status names (u64), big-endian'
                  : '8 bytes: priority votes (u32), supporters (u32), big-endian'}
                . Its numbers are the certified tally.
              </li>
              <li>
                The numbers on screen must be those. The certified tallies follow each vote within
                about 2 seconds.
              </li>
            </ol>
          </section>
          {result.proof && (
            <section aria-labelledby="verify-raw" className="section">
              <h2 id="verify-raw">The raw data</h2>
              <p className="small">
                Received {result.proof.receivedAt.toISOString()}. Decode the certificate and the
                witness as CBOR; see <Link to="/api">API &amp; data</Link> for the interface.
              </p>
              <details>
                <summary>Certificate ({result.proof.certificate.length} bytes, hex)</summary>
                <pre className="raw-bytes">{hex(result.proof.certificate)}</pre>
              </details>
              <details>
                <summary>Witness ({result.proof.witness.length} bytes, hex)</summary>
                <pre className="raw-bytes">{hex(result.proof.witness)}</pre>
              </details>
              {rootKey.data && (
                <details>
                  <summary>Root key (DER, hex)</summary>
                  <pre className="raw-bytes">{hex(rootKey.data)}</pre>
                </details>
              )}
            </section>
          )}
        </>
      )}
    </article>
  );
}

type StepState = 'passed' | 'failed' | 'not-run';

function stepState(result: TallyCheck, index: number): StepState {
  // Not certified yet: the proof verified, but has no leaf for this tally to check.
  if (result.outcome === 'pending') return index === STEPS.length - 1 ? 'not-run' : 'passed';
  if (result.outcome !== 'failed') return 'passed';
  if (result.step === 'network') return 'not-run';
  const failedAt = STEPS.findIndex(([step]) => step === result.step);
  return index < failedAt ? 'passed' : index === failedAt ? 'failed' : 'not-run';
}

function shownState(result: TallyCheck, shown: Shown): 'passed' | 'failed' {
  return result.outcome === 'verified' && sameTally(shown, result.witnessed) ? 'passed' : 'failed';
}

function shownLabel(result: TallyCheck, shown: Shown): string {
  if (result.outcome === 'failed') return 'not checked';
  if (result.outcome === 'pending') return 'not certified yet (check again in a few seconds)';
  if (sameTally(shown, result.witnessed)) return 'passed';
  const w = result.witnessed;
  return 'up' in w
    ? `no: the certified tally is ${w.up} up, ${w.down} down`
    : `no: the certified tally is ${w.votes} votes from ${w.supporters} supporters`;
}

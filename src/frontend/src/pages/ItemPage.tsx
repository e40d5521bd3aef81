import { Link, useParams } from 'react-router';
import { Breadcrumb } from '../components/Breadcrumb';
import { CopyLinkButton } from '../components/CopyLink';
import { FollowButton } from '../components/FollowButton';
import { Empty, ErrorNotice, Loading } from '../components/Feedback';
import { MarkdownText, safeUrl } from '../components/Markdown';
import { NnsLinkForm } from '../components/nns/NnsLinkForm';
import { NnsStatus } from '../components/nns/NnsStatus';
import { ItemPowerLens } from '../components/nns/PowerLens';
import { PlannedProposals } from '../components/PlannedProposals';
import { PriorityVoter } from '../components/PriorityVoter';
import { RoadmapStatusBadge } from '../components/Status';
import { TallyMark } from '../components/TallyMark';
import { Thread } from '../components/Thread';
import { useAuth } from '../hooks/auth';
import { useItem, useMe } from '../hooks/queries';
import { usePageTitle } from './usePageTitle';

export default function ItemPage() {
  const { id = '' } = useParams();
  const detail = useItem(id);
  const { status } = useAuth();
  const me = useMe();
  const isAdmin = status === 'signedIn' && me.data?.role === 'Admin';
  usePageTitle(detail.data?.item.title ?? 'Roadmap item');

  if (detail.isPending) return <Loading label="Loading the item…" />;
  if (detail.isError)
    return <ErrorNotice error={detail.error} onRetry={() => void detail.refetch()} />;
  if (!detail.data) {
    return (
      <Empty>
        <h1>Item not found</h1>
        <p>
          <Link to="/">Back to the roadmap</Link>
        </p>
      </Empty>
    );
  }
  const { item, milestone, theme, nns } = detail.data;
  return (
    <article className="detail">
      <Breadcrumb
        trail={[
          { label: 'Roadmap', to: '/' },
          { label: theme.title, to: `/roadmap/themes/${theme.id}` },
          { label: milestone.name, to: `/roadmap/milestones/${milestone.id}` },
        ]}
      />
      <header className="detail-head">
        <h1 dir="auto">{item.title}</h1>
        <div className="meta-row">
          <RoadmapStatusBadge status={item.status} />
          {milestone.eta && <span className="eta">Milestone ETA {milestone.eta}</span>}
          <CopyLinkButton what="the roadmap item" />
          <FollowButton target={{ kind: 'Item', id: item.id }} what="this item" />
        </div>
      </header>
      <div className="detail-grid">
        <div className="detail-main">
          <MarkdownText text={item.description || '_No description yet._'} />
          {nns && <NnsStatus link={nns} what="item" />}
          {item.links.length > 0 && (
            <section aria-labelledby="item-links">
              <h2 id="item-links">Links</h2>
              <ul>
                {item.links.map((link) => {
                  const href = safeUrl(link.url);
                  return (
                    <li key={link.url}>
                      {href ? (
                        <a href={href} rel="noopener noreferrer nofollow" target="_blank">
                          {link.label}
                        </a>
                      ) : (
                        link.label
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
        </div>
        <aside className="card side" aria-labelledby="priority-heading">
          <h2 id="priority-heading">Community priority</h2>
          {item.status === 'Deployed' && <p className="small">Final tally before release</p>}
          <p className="big-number">
            {item.priority.votes}{' '}
            <span className="small muted">
              priority {item.priority.votes === 1 ? 'vote' : 'votes'}
            </span>{' '}
            <TallyMark
              kind="item"
              id={item.id}
              shown={{ votes: item.priority.votes, supporters: item.priority.supporters }}
            />
          </p>
          <p className="muted small">
            from {item.priority.supporters}{' '}
            {item.priority.supporters === 1 ? 'supporter' : 'supporters'}.{' '}
            <Link to="/how-it-works">How priority votes work</Link>
          </p>
          <p className="small">
            <ItemPowerLens power={item.supporterPower} /> ·{' '}
            <Link to="/how-it-works#voting-power">What is voting power?</Link>
          </p>
          <PriorityVoter item={item} />
        </aside>
      </div>
      {isAdmin && (
        <details className="card admin-box">
          <summary>NNS proposal (admin)</summary>
          <NnsLinkForm target={{ kind: 'Item', id: item.id }} current={nns} />
        </details>
      )}
      <PlannedProposals itemId={item.id} deployed={item.status === 'Deployed'} />
      <Thread target={{ kind: 'Item', id: item.id }} />
    </article>
  );
}

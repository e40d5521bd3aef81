import { Link, useParams } from 'react-router';
import { Breadcrumb } from '../components/Breadcrumb';
import { ACTIVE_STATUSES } from '../api/models';
import { Empty, ErrorNotice, Loading } from '../components/Feedback';
import { MarkdownText } from '../components/Markdown';
import { MilestoneCard } from '../components/MilestoneCard';
import { ProposalCard } from '../components/ProposalCard';
import { useMyPriorities, useProposalList, useRoadmap } from '../hooks/queries';
import { usePageTitle } from './usePageTitle';

/** One roadmap theme: its milestones and items, and the community's proposals filed under it. */
export default function ThemePage() {
  const { id = '' } = useParams();
  const roadmap = useRoadmap();
  const myVotes = useMyPriorities().data?.votes;
  const theme = roadmap.data?.themes.find((t) => t.id === id);
  usePageTitle(theme?.title ?? 'Theme');

  if (roadmap.isPending) return <Loading label="Loading the theme…" />;
  if (roadmap.isError) {
    return <ErrorNotice error={roadmap.error} onRetry={() => void roadmap.refetch()} />;
  }
  if (!theme) {
    return (
      <Empty>
        <h1>Theme not found</h1>
        <Link to="/">Back to the roadmap</Link>
      </Empty>
    );
  }
  const itemCount = theme.milestones.reduce((n, m) => n + m.items.length, 0);
  return (
    <article className="detail">
      <Breadcrumb trail={[{ label: 'Roadmap', to: '/' }]} />
      <header className="detail-head">
        <h1 dir="auto">{theme.title}</h1>
        <p className="muted">
          {count(theme.milestones.length, 'milestone')} · {count(itemCount, 'item')}
        </p>
      </header>
      {theme.summary && <MarkdownText text={theme.summary} />}
      <section aria-labelledby="theme-milestones" className="section">
        <h2 id="theme-milestones">Milestones</h2>
        {theme.milestones.length === 0 ? (
          <Empty>No milestones in this theme yet.</Empty>
        ) : (
          <div className="milestones">
            {theme.milestones.map((milestone) => (
              <MilestoneCard
                key={milestone.id}
                milestone={milestone}
                myVotes={myVotes}
                headingLevel={3}
              />
            ))}
          </div>
        )}
      </section>
      <ThemeProposals themeId={theme.id} />
    </article>
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The theme's active proposals, most supported first, with the way to the full list. */
function ThemeProposals({ themeId }: { themeId: string }) {
  const list = useProposalList({ sort: 'Hot', statuses: ACTIVE_STATUSES, themeId });
  const proposals = list.data?.pages[0]?.proposals ?? [];
  return (
    <section aria-labelledby="theme-proposals" className="section">
      <h2 id="theme-proposals">Proposals in this theme</h2>
      {list.isPending ? (
        <Loading label="Loading proposals…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : proposals.length === 0 ? (
        <Empty>
          No open proposals in this theme. <Link to="/proposals/new">Propose an idea.</Link>
        </Empty>
      ) : (
        <ol className="proposal-list">
          {proposals.map((p) => (
            <li key={p.id}>
              <ProposalCard proposal={p} headingLevel={3} />
            </li>
          ))}
        </ol>
      )}
      <p>
        <Link to={`/proposals?theme=${themeId}&status=any`}>
          All proposals in this theme, closed ones included
        </Link>
      </p>
    </section>
  );
}

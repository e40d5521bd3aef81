import type { ActivitySubject, Roadmap } from '../api/models';
import { useProfile, useProposal, useRoadmap } from '../hooks/queries';

export function shortPrincipal(principal: string): string {
  return `${principal.slice(0, 11)}…`;
}

/**
 * A display name as given, isolated from the text around it (`<bdi>`): a right-to-left name
 * cannot reorder the words next to it, and a name that ends in a number stays apart from a
 * count that follows it.
 */
export function Name({ name, principal }: { name: string | undefined; principal: string }) {
  return <bdi>{name ?? shortPrincipal(principal)}</bdi>;
}

/** A member by display name (each profile is fetched once and cached), else a short principal. */
export function MemberName({ principal }: { principal: string }) {
  const profile = useProfile(principal);
  return <Name name={profile.data?.displayName} principal={principal} />;
}

/**
 * A proposal by its title, else by number. A hidden proposal's title reaches only its author
 * and moderators; others get an empty title and see it named by number.
 */
export function ProposalName({ id }: { id: string }) {
  const proposal = useProposal(id);
  const title = proposal.data?.title;
  return title ? (
    <>
      “<bdi>{title}</bdi>”
    </>
  ) : (
    <>proposal #{id}</>
  );
}

function roadmapTitle(
  roadmap: Roadmap | undefined,
  subject: Extract<ActivitySubject, { kind: 'theme' | 'milestone' | 'item' }>,
): string | undefined {
  const themes = roadmap?.themes ?? [];
  const milestones = themes.flatMap((t) => t.milestones);
  switch (subject.kind) {
    case 'theme':
      return themes.find((t) => t.id === subject.id)?.title;
    case 'milestone':
      return milestones.find((m) => m.id === subject.id)?.name;
    case 'item':
      return milestones.flatMap((m) => m.items).find((i) => i.id === subject.id)?.title;
  }
}

/** What an activity entry is about, named by its current title. */
export function SubjectName({ subject }: { subject: ActivitySubject }) {
  const roadmap = useRoadmap();
  switch (subject.kind) {
    case 'member':
      return <MemberName principal={subject.principal} />;
    case 'proposal':
      return <ProposalName id={subject.id} />;
    case 'comment':
      return <>comment #{subject.id}</>;
    default: {
      const title = roadmapTitle(roadmap.data, subject);
      return title ? (
        <>
          “<bdi>{title}</bdi>”
        </>
      ) : (
        <>&quot;{subject.slug}&quot;</>
      );
    }
  }
}

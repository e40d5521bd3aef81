import type { ActivitySubject, Roadmap, Role } from '../api/models';
import { useProfile, useProposal, useRoadmap, useRoles } from '../hooks/queries';

/**
 * What a member without a display name is called: "member" and the first group of their
 * principal ("member rwlgt"). The group is the principal's checksum, so two members rarely
 * share it, and the same member is called the same everywhere; a cut-off principal
 * ("rwlgt-iiaaa…") reads as a broken name.
 */
export function memberHandle(principal: string): string {
  return `member ${principal.split('-')[0] ?? principal}`;
}

/** A member's name as text (aria labels, sentences): the display name, else the handle. */
export function memberLabel(name: string | undefined, principal: string): string {
  return name ?? memberHandle(principal);
}

/**
 * A display name as given, isolated from the text around it (`<bdi>`): a right-to-left name
 * cannot reorder the words next to it, and a name that ends in a number stays apart from a
 * count that follows it. A generated handle is set apart in style, with the whole principal
 * on hover, so it is not taken for a name the member chose.
 */
export function Name({ name, principal }: { name: string | undefined; principal: string }) {
  return name !== undefined ? (
    <bdi>{name}</bdi>
  ) : (
    <bdi className="member-handle" title={principal}>
      {memberHandle(principal)}
    </bdi>
  );
}

const ROLE_BADGES: Partial<Record<Role, string>> = { Admin: 'Maintainer', Moderator: 'Moderator' };

/**
 * "Maintainer" or "Moderator" beside a member's name. The granted roles come in one cached
 * query for the whole page (`listRoles`), not one profile per author. Canister controllers are
 * admins without a grant and carry no badge until a role is granted to them.
 */
export function RoleBadge({ principal }: { principal: string }) {
  const roles = useRoles();
  const role = roles.data?.find((grant) => grant.principal === principal)?.role;
  const label = role && ROLE_BADGES[role];
  return label ? <span className={`role-badge role-${role.toLowerCase()}`}>{label}</span> : null;
}

/** A member by display name (each profile is fetched once and cached), else a short principal. */
export function MemberName({ principal }: { principal: string }) {
  const profile = useProfile(principal);
  return <Name name={profile.data?.displayName} principal={principal} />;
}

/**
 * A proposal by its title (after its number where `numbered`), else by number. A hidden proposal's title reaches only its author
 * and moderators; others get an empty title and see it named by number.
 */
export function ProposalName({ id, numbered = false }: { id: string; numbered?: boolean }) {
  const proposal = useProposal(id);
  const title = proposal.data?.title;
  return title ? (
    <>
      {numbered && `#${id} `}“<bdi>{title}</bdi>”
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

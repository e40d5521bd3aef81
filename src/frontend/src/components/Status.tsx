import {
  proposalStatusLabel,
  roadmapStatusLabel,
  type ProposalStatus,
  type RoadmapStatus,
} from '../api/models';

export function RoadmapStatusBadge({ status }: { status: RoadmapStatus }) {
  return (
    <span className={`badge badge-${status.toLowerCase()}`}>
      <span aria-hidden="true" className="badge-dot" />
      {roadmapStatusLabel(status)}
    </span>
  );
}

export function ProposalStatusBadge({ status }: { status: ProposalStatus }) {
  return (
    <span className={`badge badge-p-${status.kind.toLowerCase()}`}>
      {proposalStatusLabel(status.kind)}
    </span>
  );
}

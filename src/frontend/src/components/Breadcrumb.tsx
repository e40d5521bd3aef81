import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** One step of a breadcrumb trail: a link, or plain text for the page itself. */
export interface Crumb {
  label: ReactNode;
  to?: string;
}

/** The trail from the roadmap or the proposal list down to the page a detail view shows. */
export function Breadcrumb({ trail }: { trail: readonly Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        {trail.map((crumb, i) => (
          <li key={i}>
            {crumb.to === undefined ? crumb.label : <Link to={crumb.to}>{crumb.label}</Link>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

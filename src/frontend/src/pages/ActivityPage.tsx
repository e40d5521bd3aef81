import { ActivityLog } from '../components/ActivityLog';
import { usePageTitle } from './usePageTitle';

export default function ActivityPage() {
  usePageTitle('Activity');
  return (
    <>
      <div className="page-head">
        <h1>Activity log</h1>
        <p className="lead">
          Every roadmap edit, status change and role change, with who made it and when. The log is
          append-only and public.
        </p>
      </div>
      <ActivityLog />
    </>
  );
}

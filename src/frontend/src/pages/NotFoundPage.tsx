import { Link } from 'react-router';
import { usePageTitle } from './usePageTitle';

export default function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <div className="empty">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Go to the roadmap</Link>
      </p>
    </div>
  );
}

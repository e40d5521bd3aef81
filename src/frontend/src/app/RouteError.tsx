import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <main id="main" className="container main">
      <div className="notice notice-error" role="alert">
        <h1>Something went wrong</h1>
        <p>{message}</p>
        <p>
          <Link to="/">Back to the roadmap</Link> or{' '}
          <button type="button" className="link-button" onClick={() => window.location.reload()}>
            reload the page
          </button>
          .
        </p>
      </div>
    </main>
  );
}

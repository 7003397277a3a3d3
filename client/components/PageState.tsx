import { errorMessage } from '../api/http';

/** What PageState reads of a query (`useQuery`'s result fits): whether it is still loading, or why it failed. */
export interface QueryShown {
  status: 'pending' | 'error' | 'success';
  error: unknown;
  refetch(): Promise<unknown>;
}

/**
 * What a page shows while its data loads or when it could not be loaded. Render it while the
 * query has no data: a failed refresh of data already shown keeps the data on screen.
 */
export function PageState({ query, what }: { query: QueryShown; what: string }) {
  if (query.status === 'pending') {
    return (
      <p className="page-state" aria-busy="true">
        Loading {what}…
      </p>
    );
  }
  if (query.status === 'error') {
    return (
      <div className="page-state page-state--error" role="alert">
        <p>
          Could not load {what}: {errorMessage(query.error)}
        </p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return null;
}

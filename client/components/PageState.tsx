import { errorMessage } from '../api/http';
import type { LoadState } from '../query/loadState';

/** What a page shows while its data loads or when it could not be loaded. */
export function PageState({ state, onRetry, what }: { state: LoadState<unknown>; onRetry(): void; what: string }) {
  if (state.status === 'loading') {
    return (
      <p className="page-state" aria-busy="true">
        Loading {what}…
      </p>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="page-state page-state--error" role="alert">
        <p>
          Could not load {what}: {errorMessage(state.error)}
        </p>
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  return null;
}

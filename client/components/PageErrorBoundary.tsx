import { Component, type ErrorInfo, type ReactNode } from 'react';

interface PageErrorBoundaryProps {
  children: ReactNode;
}

interface PageErrorBoundaryState {
  error: Error | null;
}

/**
 * A page that throws while rendering, or whose lazily loaded code cannot be fetched (offline, or a
 * new version replaced the old files), shows what happened and a reload button instead of leaving
 * an empty window. The frame around it (navigation, account) stays usable; give it a `key` that
 * changes with the path so moving to another page starts clean.
 */
export class PageErrorBoundary extends Component<PageErrorBoundaryProps, PageErrorBoundaryState> {
  override state: PageErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): PageErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept for whoever opens the console; the page itself says what to do.
    console.error('page failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="page-state page-state--error" role="alert" data-testid="page-error">
        <p>{isChunkLoadError(error) ? 'This page could not be loaded: the connection may be down, or Tandem was just updated.' : 'This page stopped working because of an error.'}</p>
        <p>Your notes are kept; reloading usually helps.</p>
        <button type="button" className="button" onClick={() => window.location.reload()} data-testid="page-error-reload">
          Reload
        </button>
      </div>
    );
  }
}

/** Browsers word a failed dynamic import differently; each names the module or the import. */
function isChunkLoadError(error: Error): boolean {
  return /dynamically imported module|module script|Importing a module script failed|error loading dynamically/i.test(error.message);
}

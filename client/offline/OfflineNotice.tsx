import { useShowingDeviceCopy } from './offlineStatus';

/** Says plainly that the server is out of reach and the page shows what this device kept. */
export function OfflineNotice() {
  if (!useShowingDeviceCopy()) return null;
  return (
    <div className="notice notice--warning offline-notice" role="status" data-testid="offline-notice">
      <span>
        {/* The browser knows whether it has a network: with one, it is the server that is away (walk, 4 Dec: a server restart read as a network drop). */}
        <strong>{navigator.onLine ? 'The server cannot be reached — showing what this device has.' : 'Offline — showing what this device has.'}</strong> Notes opened on this device open and take your edits;
        they are sent when the connection returns.
      </span>
    </div>
  );
}

import { useShowingDeviceCopy } from './offlineStatus';

/** Says plainly that the server is out of reach and the page shows what this device kept. */
export function OfflineNotice() {
  if (!useShowingDeviceCopy()) return null;
  return (
    <div className="notice notice--warning offline-notice" role="status" data-testid="offline-notice">
      <span>
        <strong>Offline — showing what this device has.</strong> Notes opened on this device open and take your edits;
        they are sent when the connection returns.
      </span>
    </div>
  );
}

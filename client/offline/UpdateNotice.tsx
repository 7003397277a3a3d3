import { useRegisterSW } from 'virtual:pwa-register/react';

/** How often an open tab asks whether a new version was installed on the server. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * Registers the service worker (the offline app shell) and, when a new build is waiting, offers
 * to reload into it. Nothing reloads by itself: the new version also takes over once every Tandem
 * tab has been closed.
 */
export function UpdateNotice() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      if (registration) setInterval(() => void registration.update().catch(() => undefined), CHECK_EVERY_MS);
    },
  });
  if (!needRefresh) return null;
  const reloadIntoNewVersion = () => {
    // The library reloads only a page the old version served from its first load; a page opened
    // before any worker was installed is reloaded here, once the new version has taken over.
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    void updateServiceWorker(true);
  };
  return (
    <div className="notice notice--info update-notice" role="status" data-testid="update-notice">
      <span>A new version of Tandem is ready.</span>
      <span className="notice__actions">
        <button type="button" className="button button--small" onClick={reloadIntoNewVersion}>
          Reload
        </button>
        <button type="button" className="link-button" onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </span>
    </div>
  );
}

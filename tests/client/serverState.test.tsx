// jsdom has no IndexedDB; the client keeps answers and forgets them at logout in one.
import 'fake-indexeddb/auto';
import { QueryObserver } from '@tanstack/react-query';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NoticesView } from '../../shared/domain/supervisor';
import { ApiError, apiRequest } from '../../client/api/http';
import { createQueryClient, shouldRetry } from '../../client/api/queryClient';
import { EXPIRED_MESSAGE } from '../../client/auth/useSessionExpiry';
import { TagsPage } from '../../client/features/admin/TagsPage';
import { UsersPage } from '../../client/features/admin/UsersPage';
import { createClinic, createPerson, expectStatus, type Clinic } from '../helpers/api';
import { startServerProcess, tempDir, type ServerProcess } from '../helpers/startTestServer';
import { renderSignedIn } from './renderSignedIn';
import { useServerFetch } from './serverFetch';

// The compiled server in its own process: an in-process one cannot start its threads under jsdom.
let server: ServerProcess;
let clinic: Clinic;
beforeAll(async () => {
  server = await startServerProcess({ dataDir: tempDir() });
  clinic = await createClinic(server.baseUrl);
}, 60_000);

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

/** The browser's idea of the network, which the query client reads. */
function setOnLine(onLine: boolean): void {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => onLine });
}
afterAll(() => setOnLine(true));

describe('server state through the query client, against a real server', () => {
  it('shows a new tag in the codebook once it is saved: the write reads the list again', async () => {
    const net = useServerFetch(server.baseUrl);
    net.as(clinic.admin);
    renderSignedIn(<TagsPage />);
    await screen.findByTestId('tags-table');
    const name = `Rupture ${Date.now()}`;
    fireEvent.change(screen.getByTestId('tag-name-input'), { target: { value: name } });
    net.sent.length = 0;
    fireEvent.click(screen.getByTestId('create-tag-submit'));

    await screen.findByText(name);
    expect(net.sent).toEqual(['POST /api/tags', 'GET /api/tags']);
  });

  it('shows a refused load in the server’s words at once, without asking again', async () => {
    const net = useServerFetch(server.baseUrl);
    net.as(clinic.a);
    // The accounts a clinician may list (to add a member); the failed logins are the admin's.
    const refused = await clinic.a.api.get<{ error: { message: string } }>('/api/login-throttles');
    expect(refused.status).toBe(403);
    renderSignedIn(<UsersPage />);

    const alert = await screen.findByText(/^Could not load failed logins:/);
    expect(alert.textContent).toBe(`Could not load failed logins: ${refused.body.error.message}`);
    expect(net.sent.filter((r) => r === 'GET /api/login-throttles')).toHaveLength(1);
  });

  it('sends an expired login to the login flow with its message when a query meets 401', async () => {
    const net = useServerFetch(server.baseUrl);
    const admin = await createPerson(clinic.admin.api, 'admin', 'Ines Admin');
    net.as(admin);
    renderSignedIn(<UsersPage />);
    await screen.findByTestId('users-table');

    await expectStatus(clinic.admin.api.delete(`/api/users/${admin.id}/logins`), 200, 'end logins');
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    expect((await screen.findByTestId('auth-state')).textContent).toBe('signed-out');
    expect(screen.getByTestId('flash').textContent).toContain(EXPIRED_MESSAGE);
  });

  it('asks again when the network returns for a load that failed offline', async () => {
    const net = useServerFetch(server.baseUrl);
    net.as(clinic.a);
    net.offline = true;
    setOnLine(false);
    const client = createQueryClient(() => false);
    client.mount();
    // A path no test here read before: nothing of it is kept on this device to answer with.
    const notices = new QueryObserver(client, { queryKey: ['notices'], queryFn: () => apiRequest<NoticesView>('GET', '/api/notices') });
    const stop = notices.subscribe(() => undefined);
    try {
      await waitFor(() => expect(notices.getCurrentResult().status).toBe('error'));
      expect(net.sent).toEqual(['GET /api/notices']);

      net.offline = false;
      setOnLine(true);
      window.dispatchEvent(new Event('online'));
      await waitFor(() => expect(notices.getCurrentResult().data?.notices).toEqual([]));
    } finally {
      stop();
      client.unmount();
    }
  });
});

describe('shouldRetry', () => {
  const status = (code: number) => new ApiError(code, `http_${code}`, 'x');

  it('never retries what will answer the same: 4xx, or an answer that was not understood', () => {
    for (const code of [400, 401, 403, 404, 409, 429]) expect(shouldRetry(0, status(code))).toBe(false);
    expect(shouldRetry(0, new Error('unexpected answer'))).toBe(false);
  });

  it('retries a server error twice', () => {
    expect([0, 1, 2].map((n) => shouldRetry(n, status(503)))).toEqual([true, true, false]);
  });

  it('retries a network failure only while the browser is online', () => {
    const network = new ApiError(0, 'network_error', 'x');
    setOnLine(true);
    expect(shouldRetry(0, network)).toBe(true);
    setOnLine(false);
    expect(shouldRetry(0, network)).toBe(false);
    setOnLine(true);
  });
});

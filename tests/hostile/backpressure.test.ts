import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startTestServer } from '../helpers/startTestServer';

describe('a client that stops reading', async () => {
  const server = await startTestServer({ env: { TANDEM_MAX_BUFFERED_BYTES: String(256 * 1024) } });
  const clinic = await createClinic(server.baseUrl);
  const sessionId = await createSession(clinic);

  it('is disconnected once the server has buffered past the bound, and the others carry on', async () => {
    const stalled = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/sync/${sessionId}`, { headers: { cookie: clinic.supervisor.api.cookie!, origin: server.baseUrl } });
    await new Promise((resolve) => stalled.once('open', resolve));
    const closed = new Promise<number>((resolve) => stalled.once('close', (code) => resolve(code)));
    // Stop reading: the kernel buffers fill, then the server's send buffer grows.
    const raw = (stalled as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();

    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    const chunk = 'x'.repeat(16 * 1024);
    let i = 0;
    // Both therapists write, by turns: filling the kernel's buffers took 5–6 MB, most of what one
    // account may write into a note (writerLimits.ts), and more on a loaded machine.
    const writer = setInterval(() => appendParagraph((i % 2 === 0 ? a : b).doc, `${i++} ${chunk}`), 2);
    // The server drops the stalled socket (no close frame: it would wait behind unread data).
    await expect.poll(() => server.collab.stats.connections, { timeout: 30_000 }).toBe(2);
    clearInterval(writer);
    raw.resume();
    expect(await closed).toBe(1006);
    // The live pair still converges and saves.
    appendParagraph(a.doc, 'still flowing');
    await expect.poll(() => b.text().includes('still flowing') && a.isSaved() && b.isSaved()).toBe(true);
    expect(server.collab.stats.connections).toBe(2);
  }, 60_000);
});

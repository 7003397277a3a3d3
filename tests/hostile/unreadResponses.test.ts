/**
 * Answers a peer never takes. Attack, 6 Dec: a therapist asked for a 4 MB export of her note 150
 * times over sockets that never read. Node kept every answer's untaken bytes (there is no write
 * timeout), counted nowhere: the server's RSS grew from 337 to 505 MB in a minute and stayed so
 * while the sockets stayed open. They now count with the bytes queued for the account's websockets
 * that do not read, and past the account's bound its largest is dropped.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { queuedLimits } from '../../server/collab/Connection';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { deferCleanup } from '../helpers/services';

// The account's bound (8 MB) holds one whole answer; the unread ones pass it together.
const MAX_BUFFERED = 1024 * 1024;

describe('answers a peer never takes', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_MAX_BUFFERED_BYTES: String(MAX_BUFFERED) } });
  const bound = queuedLimits(MAX_BUFFERED).perKey;
  const metric = async (name: string) => {
    const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
    return Number(new RegExp(`^${name}\\{kind="queued"\\} (\\S+)$`, 'm').exec(text)?.[1]);
  };

  it('counts what waits in the process for them, and drops the largest past the bound', async () => {
    const id = await createSession(clinic, 'individual');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    // About 6 MB of export: more than the kernel takes into one socket's buffers.
    for (let i = 0; i < 6; i++) a.doc.transact(() => { for (let j = 0; j < 100; j++) appendParagraph(a.doc, `${i}.${j} ${'w'.repeat(10_000)}`); });
    await expect.poll(() => a.isSaved(), { timeout: 30_000 }).toBe(true);
    a.destroy();

    const port = Number(new URL(server.baseUrl).port);
    const unread: net.Socket[] = [];
    deferCleanup(() => unread.forEach((s) => s.destroy()));
    const dropped = await metric('tandem_held_dropped_total');
    // One at a time: each answer is made (the note read) before the next is asked for.
    for (let i = 0; i < 20 && (await metric('tandem_held_dropped_total')) === dropped; i++) {
      const before = await metric('tandem_held_bytes');
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => {});
      s.pause();
      s.write(`GET /api/sessions/${id}/export.md HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${server.baseUrl}\r\nCookie: ${clinic.a.api.cookie}\r\n\r\n`);
      unread.push(s);
      // Reading and rendering a 6 MB note took over 10 s with the whole suite running beside it.
      await expect.poll(async () => (await metric('tandem_held_bytes')) > before || (await metric('tandem_held_dropped_total')) > dropped, { timeout: 60_000 }).toBe(true);
    }
    expect(await metric('tandem_held_dropped_total')).toBeGreaterThan(dropped);
    expect(await metric('tandem_held_bytes')).toBeLessThanOrEqual(bound);
    // Another account's answers are not held against hers (the first try dropped the co-therapist's, largest then).
    expect((await clinic.b.api.get(`/api/sessions/${id}/export.md`)).status).toBe(200);
  }, 600_000);
});

import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { healthOf } from '../helpers/health';
import { isRunning, lastWords, startServerProcess, tempDir } from '../helpers/startTestServer';
import { seeded } from '../helpers/typist';
import { openRaw } from '../helpers/rawSocket';
import { MAX_SOCKETS_PER_NOTE } from '../../server/collab/upgrade';
import { CloseCode } from '../../shared/protocol/closeCodes';

const ATTEMPTS = Number(process.env.TANDEM_FAULT_ATTEMPTS ?? 60);
const SEED = Number(process.env.TANDEM_FAULT_SEED ?? 20261130);

/** A websocket upgrade request as a browser sends it. */
function upgradeRequest(port: number, path: string, cookie: string | null): string {
  return [
    `GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Origin: http://127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', ...(cookie ? [`Cookie: ${cookie}`] : []), '', '',
  ].join('\r\n');
}

/**
 * Sends `request` and resets the connection (RST, not FIN) once it is written, after `delayMs`: at
 * 0 before the server has looked at it, later while it awaits the login and membership checks.
 * Resolves once the socket is gone.
 */
function sendAndReset(port: number, request: string, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    socket.once('connect', () =>
      socket.write(request, () => {
        if (delayMs === 0) socket.resetAndDestroy();
        else setTimeout(() => socket.resetAndDestroy(), delayMs);
      }),
    );
  });
}

describe('websocket upgrades reset by the client (RST) at random moments', () => {
  it(`keeps serving after ${ATTEMPTS} resets of each kind: anonymous, logged in, and half-sent`, async () => {
    const random = seeded(SEED);
    const started = performance.now();
    const server = await startServerProcess({ dataDir: tempDir() });
    const clinic = await createClinic(server.baseUrl);
    const sessionId = await createSession(clinic);
    const kinds = {
      // The case seen in the field: no login, refused with 401 after an await, the socket already reset.
      anonymous: () => upgradeRequest(server.port, `/sync/${randomUUID()}`, null),
      // Accepted: the reset lands while membership is looked up, or as the websocket opens.
      member: () => upgradeRequest(server.port, `/sync/${sessionId}`, clinic.a.api.cookie),
      // The HTTP parser's own error path (clientError), headers cut mid-line.
      halfSent: () => upgradeRequest(server.port, `/sync/${randomUUID()}`, null).slice(0, 40 + Math.floor(random() * 100)),
    };
    for (const [kind, request] of Object.entries(kinds)) {
      for (let i = 0; i < ATTEMPTS; i++) {
        // A third at once, the rest spread over the few ms the upgrade checks take.
        const delayMs = i % 3 === 0 ? 0 : Math.floor(random() * 6);
        await sendAndReset(server.port, request(), delayMs);
        expect(isRunning(server), `${kind} attempt ${i + 1} (reset after ${delayMs} ms): the server exited\n${lastWords([server], 20)}`).toBe(true);
      }
    }

    // Still serving: health, and a therapist who opens the note, writes, and is told it is saved.
    expect(await healthOf(server.baseUrl)).toMatchObject({ status: 200, store: 'up' });
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced, { timeout: 10_000 }).toBe(true);
    appendParagraph(a.doc, 'written after the resets');
    await expect.poll(() => a.isSaved(), { timeout: 10_000 }).toBe(true);
    // Every one of the account's sockets on the note is there to open: an upgrade reset while it was
    // decided holds no place of the limit (one that did, 16 times over, shut the therapist out).
    const more = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_NOTE - 1 }, () => openRaw(server.baseUrl, sessionId, { cookie: clinic.a.api.cookie!, origin: server.baseUrl })));
    const refused: number[] = [];
    for (const s of more) void s.closed.then((c) => c.code === CloseCode.TooManySockets && refused.push(c.code));
    await expect.poll(() => more.every((s) => s.notices.some((n) => n.type === 'hello')) || refused.length > 0, { timeout: 10_000 }).toBe(true);
    expect(refused).toEqual([]);
    expect(isRunning(server), lastWords([server], 20)).toBe(true);
    console.log(`[figures] upgrade resets: ${JSON.stringify({ attempts: ATTEMPTS * Object.keys(kinds).length, seed: SEED, ms: Math.round(performance.now() - started) })}`);
  }, 120_000);
});

import type { Page, WebSocket as PageSocket } from 'playwright-core';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { MessageType } from '../../shared/protocol/messageType';
import { POLL, chromiumAvailable, noteText, openSessionAs } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();
/** y-protocols' sync message kinds (the second varUint of a Sync frame; each fits one byte). */
const SYNC_STEP_2 = 1;

/** Bytes of every sync step 2 the server sends the page's note socket from now on. */
function recordSyncStep2(page: Page): number[] {
  const sizes: number[] = [];
  page.on('websocket', (socket: PageSocket) => {
    if (!socket.url().includes('/sync')) return;
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') return;
      if (payload[0] === MessageType.Sync && payload[1] === SYNC_STEP_2) sizes.push(payload.length);
    });
  });
  return sizes;
}

/** How many stored updates the device's copy of the note holds (y-indexeddb's `updates` store). */
function storedUpdates(page: Page, sessionId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const name = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.endsWith(`:${id}`));
    if (!name) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const count = db.transaction('updates').objectStore('updates').count();
        count.onsuccess = () => {
          db.close();
          resolve(count.result);
        };
        count.onerror = () => reject(count.error);
      };
    });
  }, sessionId);
}

describe.skipIf(!hasChromium)('browser: a returning device downloads only what it lacks', () => {
  const ctx = useBrowserSession('individual');

  it('opens the websocket after the device copy has loaded, so the server sends only the missing part', async () => {
    // A note of some size, written elsewhere.
    const writer = connectClient(ctx.server.baseUrl, ctx.sessionId, ctx.clinic.b.api.cookie);
    for (let i = 0; i < 40; i++) appendParagraph(writer.doc, `Paragraph ${i}: ${'The client spoke about the week at work and at home. '.repeat(10)}`);
    await expect.poll(() => writer.isSaved(), POLL).toBe(true);
    const wholeNote = Y.encodeStateAsUpdate(writer.doc).length;

    // This device opens it once and keeps a copy.
    const first = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId, { serviceWorker: true });
    await expect.poll(() => noteText(first), POLL).toContain('Paragraph 39');
    await expect.poll(() => storedUpdates(first, ctx.sessionId), POLL).toBeGreaterThan(0);
    const context = first.context();
    await first.close();

    // Meanwhile the co-therapist adds a line.
    appendParagraph(writer.doc, 'Added while the device was away.');
    await expect.poll(() => writer.isSaved(), POLL).toBe(true);

    const again = await context.newPage();
    const step2 = recordSyncStep2(again);
    await again.goto(`${ctx.server.baseUrl}/sessions/${ctx.sessionId}`);
    await expect.poll(() => noteText(again), POLL).toContain('Added while the device was away.');
    expect(await noteText(again)).toContain('Paragraph 0');
    await expect.poll(() => step2.length, POLL).toBeGreaterThan(0);
    console.log(`sync step 2 to a returning device: ${step2.join(', ')} bytes; the whole note: ${wholeNote} bytes`);
    // Only the added line (and its framing), not the whole note again.
    expect(step2[0]).toBeLessThan(wholeNote / 20);
    await context.close();
  }, 120_000);
});

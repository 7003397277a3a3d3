import { describe, expect, it } from 'vitest';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { POLL, chromiumAvailable, openSessionAs } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('browser: the sign panel', () => {
  const ctx = useBrowserSession('individual');

  it('stops saying "Signed" once a late entry makes that signature an earlier version’s', async () => {
    const { clinic, server, sessionId } = ctx;
    for (const step of ['start', 'end']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`)).status).toBe(200);
    const a = await openSessionAs(ctx.browser, server.baseUrl, clinic.a, sessionId);
    await a.getByTestId('sign-submit').click();
    await expect.poll(() => a.getByTestId('sign-outcome').innerText(), POLL).toContain('Signed. Waiting for');

    // The co-therapist adds a late entry, then signs: A's signature is now for an earlier version.
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced, POLL).toBe(true);
    appendParagraph(b.doc, 'Remembered after the end.');
    await expect.poll(() => b.isSaved(), POLL).toBe(true);
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/sign`)).status).toBe(200);
    b.destroy();

    await expect.poll(() => a.getByTestId('signers').innerText(), POLL).toContain('must sign again');
    expect(await a.getByTestId('sign-outcome').count()).toBe(0);
    expect(await a.getByTestId('sign-submit').isEnabled()).toBe(true);
    await a.context().close();
  });
});

import { describe, expect, it } from 'vitest';
import { createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { findText } from '../helpers/noteOps';
import { startClinic } from '../helpers/clinic';

describe('a therapist offline for a long stretch', async () => {
  const { server, clinic } = await startClinic();

  it('merges thousands of edits made on both sides with nothing lost', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    appendParagraph(a.doc, 'shared line');
    await expect.poll(() => b.text()).toContain('shared line');
    a.provider.disconnect();

    // A types 3,000 characters one keystroke at a time offline; B keeps writing online.
    const offline = findText(a.doc, 'shared line');
    for (let i = 0; i < 3000; i++) offline.text.insert(offline.text.length, String.fromCharCode(97 + (i % 26)));
    for (let i = 0; i < 2000; i++) appendParagraph(b.doc, `online ${i}`);
    await expect.poll(() => b.isSaved(), { timeout: 20_000 }).toBe(true);

    a.provider.connect();
    await expect.poll(() => a.isSaved() && b.isSaved() && a.text() === b.text(), { timeout: 30_000 }).toBe(true);
    const merged = a.text();
    expect(merged).toContain('online 1999');
    expect(findText(b.doc, 'shared line').text.length).toBe('shared line'.length + 3000);
    expect(merged.split('\n').filter((l) => l.startsWith('online ')).length).toBe(2000);
  }, 60_000);
});

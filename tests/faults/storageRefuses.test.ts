import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startTestServer } from '../helpers/startTestServer';
import { storedText } from '../helpers/storedNote';

describe('the database refuses writes (full disk, read-only volume)', async () => {
  const server = await startTestServer();
  const clinic = await createClinic(server.baseUrl);

  it('does not confirm edits, tells the client, keeps them, and stores them once writes work again', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'before the outage');
    await expect.poll(() => a.isSaved()).toBe(true);

    // A second connection to the same database makes every insert fail, as SQLITE_FULL would.
    const db = new Database(path.join(server.dataDir, 'tandem.db'));
    db.exec("CREATE TRIGGER refuse_writes BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
    appendParagraph(a.doc, 'written during the outage');
    await expect.poll(() => a.notices.some((n) => n.type === 'save-failed')).toBe(true);
    expect(a.isSaved()).toBe(false);
    // The other therapist still sees it live: the note is kept in memory while storage is down.
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.text()).toContain('written during the outage');
    expect(await storedText({ dataDir: server.dataDir }, sessionId)).not.toContain('written during the outage');

    db.exec('DROP TRIGGER refuse_writes');
    db.close();
    await expect.poll(() => a.notices.some((n) => n.type === 'save-recovered'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(await storedText({ dataDir: server.dataDir }, sessionId)).toContain('written during the outage');
  });
});

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startServerProcess, tempDir } from '../helpers/startTestServer';

const key = () => randomBytes(32).toString('base64');

function storedBytes(dataDir: string): Buffer {
  const db = new Database(path.join(dataDir, 'tandem.db'), { readonly: true });
  const rows = db.prepare('SELECT data FROM doc_updates UNION ALL SELECT data FROM doc_snapshots').all() as { data: Buffer }[];
  db.close();
  return Buffer.concat(rows.map((r) => r.data));
}

describe('encryption at rest (TANDEM_ENCRYPTION_KEY)', () => {
  it('stores note content encrypted, and reads it back after a key rotation', async () => {
    const dataDir = tempDir();
    const oldKey = key();
    const first = await startServerProcess({ dataDir, env: { TANDEM_ENCRYPTION_KEY: oldKey } });
    const clinic = await createClinic(first.baseUrl);
    const sessionId = await createSession(clinic);
    const a = connectClient(first.baseUrl, sessionId, clinic.a.api.cookie);
    appendParagraph(a.doc, 'SECRET-CLINICAL-LINE');
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(storedBytes(dataDir).includes('SECRET-CLINICAL-LINE')).toBe(false);
    expect(storedBytes(dataDir).includes('Attendance')).toBe(false); // the template too
    await first.kill('SIGTERM');

    // Rotation: a new key for writing, the old one still listed for reading.
    const second = await startServerProcess({ dataDir, env: { TANDEM_ENCRYPTION_KEY: key(), TANDEM_ENCRYPTION_PREVIOUS_KEYS: oldKey }, port: first.port });
    await expect.poll(() => a.isSaved() && a.provider.synced, { timeout: 10_000 }).toBe(true);
    const b = connectClient(second.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.text()).toContain('SECRET-CLINICAL-LINE');
    await second.kill('SIGTERM');

    // Without the old key the server refuses the session (its title is sealed too) rather than
    // serving it empty or as ciphertext, and tells the operator which setting is missing.
    const third = await startServerProcess({ dataDir, env: { TANDEM_ENCRYPTION_KEY: key() }, port: first.port });
    const c = connectClient(third.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => third.output.join('\n')).toContain('TANDEM_ENCRYPTION_PREVIOUS_KEYS');
    expect((await clinic.b.api.get(`/api/sessions/${sessionId}`)).status).toBe(500);
    expect(c.provider.synced).toBe(false);
    expect(c.text()).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { answerFlag, tagSpan } from '../helpers/noteOps';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { startServerProcess, tempDir } from '../helpers/startTestServer';

describe('the application log', () => {
  it('holds no note content, group-member labels or passwords after a full scripted session at debug level', async () => {
    const server = await startServerProcess({ dataDir: tempDir(), env: { TANDEM_LOG_LEVEL: 'debug', TANDEM_COMPACT_AFTER_UPDATES: '5' } });
    const clinic = await createClinic(server.baseUrl);
    const sessionId = await createSession(clinic);
    const secretText = 'QUOKKA-CONFIDENTIAL-DISCLOSURE';
    const label = 'QZ';
    await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: [label] });
    await clinic.a.api.post(`/api/sessions/${sessionId}/start`);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    for (let i = 0; i < 10; i++) appendParagraph(a.doc, `${secretText} ${i}`);
    const obs = tagSpan(a.doc, `${secretText} 3`, { authorId: clinic.a.id, tags: ['risk-safety'], member: label, forCoTherapist: true });
    await expect.poll(() => b.doc.getMap('observations').has(obs.id)).toBe(true);
    answerFlag(b.doc, obs.id, { by: clinic.b.id, at: Date.now(), answer: 'disputed', note: `${secretText} NOTE` });
    await expect.poll(() => a.isSaved() && b.isSaved()).toBe(true);
    // Failures and refusals are logged too: a bad frame, a refused observation, a wrong password.
    tagSpan(a.doc, `${secretText} 4`, { authorId: clinic.a.id, tags: ['no-such-tag'], member: label });
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    raw.ws.send(updateFrame(new TextEncoder().encode(secretText)));
    await raw.closed;
    await clinic.outsider.api.post('/api/auth/login', { email: clinic.b.email, password: `${secretText}-pw` });
    for (const step of ['end', 'sign']) await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`);
    await clinic.b.api.post(`/api/sessions/${sessionId}/sign`);
    await clinic.a.api.get(`/api/sessions/${sessionId}/export.md`);
    a.provider.disconnect();
    b.provider.disconnect();
    await server.kill('SIGTERM');

    const log = server.output.join('\n');
    expect(log).toContain('"level":"debug"');
    expect(log).toContain('update refused');
    expect(log).not.toContain(secretText);
    expect(log).not.toContain(`"${label}"`);
    for (const person of [clinic.admin, clinic.a, clinic.b]) expect(log).not.toContain(person.password);
    expect(log).not.toContain(clinic.a.name);
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditLogRow } from '../../shared/domain/auditWords';
import { createClinic, createPerson } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { pairSession } from '../helpers/desk';
import { startTestServer } from '../helpers/startTestServer';

const TO_THE_SECOND = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(Europe\/Berlin, UTC\+0[12]:00\)$/;

describe('the audit log a privacy officer reads', async () => {
  const server = await startTestServer({ env: { TANDEM_TIMEZONE: 'Europe/Berlin' } });
  const clinic = await createClinic(server.baseUrl);
  const { a, b, supervisor, admin } = clinic;
  const log = async (query: string) => (await admin.api.get<{ rows: AuditLogRow[]; timeZone: string }>(`/api/audit/log${query}`)).body;

  it('says actions in words, people by name, sessions by title, times to the second with the zone, and folds a visit into one row', async () => {
    const id = await pairSession(clinic, 'Family on Friday');
    const visit = connectClient(server.baseUrl, id, b.api.cookie);
    await expect.poll(() => visit.provider.synced).toBe(true);
    visit.destroy();
    await expect.poll(async () => (await log(`?sessionId=${id}&action=session_opened`)).rows[0]?.leftAt ?? null).not.toBeNull();
    const { rows, timeZone } = await log(`?sessionId=${id}`);
    expect(timeZone).toBe('Europe/Berlin');
    const opened = rows.find((r) => r.action === 'session_opened')!;
    expect(opened).toMatchObject({ actorName: b.name, words: 'opened the note', sessionTitle: 'Family on Friday' });
    expect(opened.when).toMatch(TO_THE_SECOND);
    expect(opened.leftAt).toMatch(TO_THE_SECOND);
    expect(rows.some((r) => r.action === 'session_left')).toBe(false);
    const added = rows.filter((r) => r.action === 'member_added');
    expect(added.map((r) => r.detail).sort()).toEqual([`person: ${b.name}, role: therapist`, `person: ${supervisor.name}, role: supervisor`].sort());
    expect(added[0]).toMatchObject({ words: 'added a member', actorName: a.name });
  });

  it('names the tag an admin changed, and says whether it was retired or brought back', async () => {
    const tag = (await admin.api.post<{ id: string }>('/api/tags', { name: 'Grief', color: '#4a5a8a', description: '' })).body;
    for (const patch of [{ retired: true }, { retired: false }, { name: 'Grief / loss' }]) expect((await admin.api.patch(`/api/tags/${tag.id}`, patch)).status).toBe(200);
    const rows = (await log('?action=tag_updated&limit=3')).rows;
    expect(rows.map((r) => r.detail)).toEqual([
      'tag: Grief / loss, changed: name, now named: Grief / loss',
      'tag: Grief / loss, changed: retired, brought back',
      'tag: Grief / loss, changed: retired, retired',
    ]);
  });

  it('names the pair whose trend was read, not their account ids', async () => {
    await pairSession(clinic, 'Trend of the pair');
    expect((await supervisor.api.get(`/api/dyads/trend?ids=${a.id},${b.id}`)).status).toBe(200);
    const row = (await log(`?action=trend_read&actorId=${supervisor.id}&limit=1`)).rows[0]!;
    expect(row.detail).toMatch(new RegExp(`^people: ${a.name} and ${b.name}, sessions: [1-9]\\d*, format: json$`));
  });

  it('says a concordance read with its matching window in seconds', async () => {
    const id = await pairSession(clinic, 'Compared');
    expect((await supervisor.api.get(`/api/sessions/${id}/concordance?window=90`)).status).toBe(200);
    const row = (await log(`?sessionId=${id}&actorId=${supervisor.id}&limit=1`)).rows[0]!;
    expect(row.detail).toBe('how: concordance, matched within: 90 s');
  });

  it('says what a count counts: the logins an admin ended', async () => {
    const lee = await createPerson(admin.api, 'clinician', 'Lee Logins');
    expect((await admin.api.request('DELETE', `/api/users/${lee.id}/logins`)).status).toBe(200);
    const row = (await log(`?action=logins_ended&actorId=${admin.id}&limit=1`)).rows[0]!;
    expect(row.detail).toBe('person: Lee Logins, logins ended: 1');
  });

  it('filters by person, session, action and date range', async () => {
    const id = await pairSession(clinic, 'Filtered');
    const byA = (await log(`?actorId=${a.id}&sessionId=${id}`)).rows;
    expect(byA.map((r) => r.action).sort()).toEqual(['member_added', 'member_added', 'session_created']);
    expect((await log(`?actorId=${b.id}&sessionId=${id}`)).rows).toEqual([]);
    expect((await log(`?action=session_created&sessionId=${id}`)).rows).toHaveLength(1);
    const today = new Date().toISOString().slice(0, 10);
    expect((await log(`?sessionId=${id}&from=${today}`)).rows.length).toBe(3);
    expect((await log(`?sessionId=${id}&to=2020-01-01`)).rows).toEqual([]);
    // The last day a date can name: its next day was read through an ISO string as "+010000-01" (500; attack, 4 Dec).
    expect((await log(`?sessionId=${id}&to=9999-12-31`)).rows.length).toBe(3);
    for (const [query, field] of [['?from=soon', 'from'], ['?to=2026-02-30', 'to'], ['?action=dance', 'action'], ['?actorId=me', 'actorId'], ['?from=2026-11-30&to=2026-11-01', 'to']] as const) {
      const res = await admin.api.get<{ error: { field: string } }>(`/api/audit/log${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.field, query).toBe(field);
    }
  });

  it('exports the filtered log as CSV, audits the export, and refuses everyone but the admin', async () => {
    const id = await pairSession(clinic, '=HYPERLINK("x") group');
    const res = await fetch(`${server.baseUrl}/api/audit/export.csv?sessionId=${id}`, { headers: { cookie: admin.api.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('tandem-audit.csv');
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('when,until,who,action,session,session id,detail,record');
    expect(lines).toHaveLength(4);
    // A title that a spreadsheet would run as a formula is kept as text.
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"") group"`);
    const exported = (await log('?action=audit_exported')).rows[0]!;
    expect(exported).toMatchObject({ actorName: admin.name, words: 'exported the audit log' });
    expect(exported.detail).toContain(`"sessionId":"${id}"`);
    for (const p of [a, supervisor]) {
      expect((await p.api.get(`/api/audit/export.csv?sessionId=${id}`)).status).toBe(403);
      expect((await p.api.get('/api/audit/log')).status).toBe(403);
    }
    expect((await admin.api.get('/api/audit/export.csv?limit=5')).status).toBe(400);
  });
});

import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import { createClinic, expectStatus, type Person } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { listItems, parseMarkdown, plain, section, sections } from '../helpers/markdownTree';
import { tagLine } from '../helpers/noteOps';
import { pdfFacts } from '../helpers/pdfFacts';
import { startTestServer } from '../helpers/startTestServer';

const TITLE = 'Tuesday group\n- Status: reviewed\n## Signatures';
const LOCAL_TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d \(Europe/Berlin, UTC\+0[12]:00\)`;

describe('exports of the record', async () => {
  const server = await startTestServer({ env: { TANDEM_TIMEZONE: 'Europe/Berlin' } });
  const clinic = await createClinic(server.baseUrl);

  /** A GET that keeps the body's bytes (a PDF is not text), as `person` or without a login. */
  const download = async (person: Person | null, path: string) => {
    const res = await fetch(server.baseUrl + path, { headers: person?.api.cookie ? { cookie: person.api.cookie } : {} });
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: Buffer.from(await res.arrayBuffer()) };
  };

  /** A signed session whose title and note try to forge the export's own lines, with a tagged line by A. */
  async function signedSession() {
    const { id } = await expectStatus(clinic.a.api.post<{ id: string }>('/api/sessions', { title: TITLE, kind: 'group' }), 201, 'create session');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.b.id, role: 'therapist' }), 201, 'add B');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.supervisor.id, role: 'supervisor' }), 201, 'add supervisor');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'group members');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    const line = tagLine(a.doc, 'Affect · M2 — ', 'went quiet when her father came up', { authorId: clinic.a.id, tags: ['affect'], member: 'M2' });
    appendParagraph(b.doc, '# Not a heading <img src=x onerror=alert(1)>');
    await expect.poll(() => a.isSaved() && b.isSaved() && a.text().includes('Not a heading') && b.text().includes('father')).toBe(true);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M2: 'late' } }), 200, 'attendance');
    for (const [api, step] of [[clinic.a.api, 'sign'], [clinic.b.api, 'sign']] as const) {
      await expectStatus(api.post(`/api/sessions/${id}/${step}`), 200, step);
    }
    return { id, line };
  }

  it('exports Markdown in which the title and the note stay text in their places, with local times and a tagged line’s words', async () => {
    const { id, line } = await signedSession();
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`)).body;
    expect(review.observations.find((o) => o.id === line.id)?.quote).toBe('went quiet when her father came up');

    const res = await download(clinic.supervisor, `/api/sessions/${id}/export.md`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/markdown; charset=utf-8');
    // Named for the session's day and title (lower-case ASCII words), with its id's start: no quotes, no markup.
    expect(res.disposition).toMatch(new RegExp(`^attachment; filename="tandem-\\d{4}-\\d\\d-\\d\\d-tuesday-group-status-reviewed-signatures-${id.slice(0, 8)}\\.md"$`));
    const root = parseMarkdown(res.body.toString('utf8'));
    expect(sections(root).map((s) => s.heading)).toEqual([TITLE, 'Note', 'Observations', 'Signatures', 'Addenda', 'Supervisor comments']);
    // M1 is not in the record: present, as the member-notes panel shows.
    expect(listItems(sections(root)[0]!.body[0]).map(plain)).toContain('Attendance: M1 present, M2 late');
    const note = section(root, 'Note').map(plain);
    expect(note).toContain('<kbd>AT</kbd> Affect · M2 — [^o1]went quiet when her father came up');
    expect(note).toContain('<kbd>BT</kbd> # Not a heading <img src=x onerror=alert(1)>');
    expect(section(root, 'Observations').map(plain)).toEqual([expect.stringMatching(/^Affect — <kbd>Alex Therapist, \d\d:\d\d after the start<\/kbd>, about M2 — tagged line: “went quiet when her father came up”$/)]);
    expect(section(root, 'Signatures').flatMap(listItems).map(plain)).toEqual([
      expect.stringMatching(new RegExp(`^<kbd>Signed by Alex Therapist at ${LOCAL_TIME}</kbd> — digest [0-9a-f]{64}$`)),
      expect.stringMatching(new RegExp(`^<kbd>Signed by Blair Therapist at ${LOCAL_TIME}</kbd> — digest [0-9a-f]{64}$`)),
    ]);
  });

  // Walks: on 1 Dec the export of an ended session nobody marked said "Attendance: not recorded"
  // while a member note was made for each (present); on 6 Dec the export of a session not yet
  // ended said "M1 present" while the member-notes panel said not recorded.
  it('exports the attendance the page shows when nobody marked it: not recorded before the end, present after', async () => {
    const { id } = await expectStatus(clinic.a.api.post<{ id: string }>('/api/sessions', { title: 'Thursday group', kind: 'group' }), 201, 'create session');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'group members');
    const review = (await clinic.a.api.get<ReviewView>(`/api/sessions/${id}/review`)).body;
    expect(review.attendance).toEqual([{ member: 'M1', attendance: 'not recorded' }, { member: 'M2', attendance: 'not recorded' }]);
    const before = parseMarkdown((await download(clinic.a, `/api/sessions/${id}/export.md`)).body.toString('utf8'));
    expect(listItems(sections(before)[0]!.body[0]).map(plain)).toContain('Attendance: M1 not recorded, M2 not recorded');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const after = parseMarkdown((await download(clinic.a, `/api/sessions/${id}/export.md`)).body.toString('utf8'));
    expect(listItems(sections(after)[0]!.body[0]).map(plain)).toContain('Attendance: M1 present, M2 present');
  });

  it('exports a PDF, and either export only to members of the session, auditing each one made with who and which format', async () => {
    const { id } = await signedSession();
    for (const format of ['md', 'pdf']) {
      const path = `/api/sessions/${id}/export.${format}`;
      expect((await download(null, path)).status, `${format} without a login`).toBe(401);
      expect((await download(clinic.outsider, path)).status, `${format} by a clinician of other sessions`).toBe(403);
      expect((await download(clinic.admin, path)).status, `${format} by the admin`).toBe(403);
    }

    const pdf = await download(clinic.supervisor, `/api/sessions/${id}/export.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.disposition).toMatch(new RegExp(`^attachment; filename="tandem-\\d{4}-\\d\\d-\\d\\d-tuesday-group-status-reviewed-signatures-${id.slice(0, 8)}\\.pdf"$`));
    const facts = pdfFacts(pdf.body);
    expect(facts.isPdf).toBe(true);
    expect(facts.pages).toBeGreaterThanOrEqual(1);
    expect(facts.fonts).toContain('DejaVuSans');
    expect((await download(clinic.b, `/api/sessions/${id}/export.pdf`)).status).toBe(200);
    expect((await download(clinic.a, `/api/sessions/${id}/export.md`)).status).toBe(200);

    const audit = (await clinic.admin.api.get<{ action: string; actorId: string; detail: { format?: string } }[]>(`/api/audit?sessionId=${id}`)).body;
    const exports = audit.filter((e) => e.action === 'export').map((e) => [e.actorId, e.detail.format]);
    expect(exports.sort()).toEqual(
      [
        [clinic.supervisor.id, 'pdf'],
        [clinic.b.id, 'pdf'],
        [clinic.a.id, 'markdown'],
      ].sort(),
    );
  });
});

import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AuditEntryView } from '../../shared/domain/audit';
import type { DebriefView } from '../../shared/domain/debrief';
import type { CommentView, ReviewView } from '../../shared/domain/review';
import type { SessionView } from '../../shared/domain/session';
import { createClinic, expectStatus, type Clinic } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { findText } from '../helpers/noteOps';
import { describeWith, freshPostgresSchema, Postgres } from '../helpers/services';
import { startTestServer, tempDir } from '../helpers/startTestServer';

const key = () => randomBytes(32).toString('base64');
const marker = (field: string) => `${field}-${randomBytes(8).toString('hex')}`;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Labels are at most 4 letters or digits (`memberLabelSchema`), too short to be a marker alone. */
const label = () => Array.from({ length: 4 }, () => ALNUM[randomInt(ALNUM.length)]).join('');

/** A unique marker for every kind of text people type that is stored outside the note. */
function typedText() {
  return {
    title: marker('TITLE'),
    labels: [label(), label(), label()],
    quote: marker('QUOTE'),
    comment: marker('COMMENT'),
    editedComment: marker('EDITED'),
    reply: marker('REPLY'),
    addendum: marker('ADDENDUM'),
    returnReason: marker('RETURN'),
    addReason: marker('ADMINADD'),
    removeReason: marker('ADMINREMOVE'),
    debrief: marker('DEBRIEF'),
  };
}
type TypedText = ReturnType<typeof typedText>;

/**
 * What to look for in stored bytes. A label is looked for as it would be stored in the clear
 * (`"M1"` in the JSON array): four letters alone turn up by chance in kilobytes of ciphertext.
 */
const needles = (t: TypedText): string[] => [
  t.title, ...t.labels.map((l) => JSON.stringify(l)), t.quote, t.comment, t.editedComment, t.reply, t.addendum, t.returnReason, t.addReason, t.removeReason, t.debrief,
];

/**
 * Writes every marker through the HTTP API (and the quoted passage into the note over the
 * websocket), taking the session through sign, addendum and return. Also creates a codebook tag
 * whose description stays in the clear by design: the control that a grep finds what was written.
 */
async function writeTypedText(clinic: Clinic, baseUrl: string, t: TypedText, control: string): Promise<string> {
  const { a, b, supervisor, admin, outsider } = clinic;
  const { id } = await expectStatus(a.api.post<{ id: string }>('/api/sessions', { title: t.title, kind: 'group' }), 201, 'create session');
  const at = `/api/sessions/${id}`;
  await expectStatus(a.api.post(`${at}/members`, { userId: b.id, role: 'therapist' }), 201, 'add B');
  await expectStatus(a.api.post(`${at}/members`, { userId: supervisor.id, role: 'supervisor' }), 201, 'add supervisor');
  await expectStatus(admin.api.post(`${at}/members`, { userId: outsider.id, role: 'therapist', reason: t.addReason }), 201, 'admin adds');
  await expectStatus(admin.api.request('DELETE', `${at}/members/${outsider.id}`, { reason: t.removeReason }), 204, 'admin removes');
  await expectStatus(a.api.request('PUT', `${at}/group-members`, { labels: t.labels }), 200, 'labels');
  // Attendance names the members by label (and ending derives a member note per present member, titled with it).
  await expectStatus(a.api.request('PUT', `${at}/attendance`, { attendance: { [t.labels[0]!]: 'late', [t.labels[2]!]: 'absent' } }), 200, 'attendance');
  await expectStatus(admin.api.post('/api/tags', { name: `Control ${randomBytes(3).toString('hex')}`, color: '#1f6feb', description: control }), 201, 'control tag');

  await expectStatus(a.api.request('PUT', `${at}/debrief/plan`, { body: t.debrief, baseVersion: 0 }), 200, 'debrief');
  // A blind session: a private observation naming a group member is kept (sealed) until the end reveals it.
  await expectStatus(a.api.request('PUT', `${at}/blind`, { enabled: true }), 200, 'blind');
  const client = connectClient(baseUrl, id, a.api.cookie);
  await expect.poll(() => client.provider.synced).toBe(true);
  appendParagraph(client.doc, t.quote);
  await expect.poll(() => client.isSaved()).toBe(true);
  const { text, index } = findText(client.doc, t.quote);
  const at64 = (i: number, assoc: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, assoc))).toString('base64');
  const privately = { tags: ['affect'], member: t.labels[0], forCoTherapist: false, anchor: { kind: 'span', from: at64(index, 0), to: at64(index + t.quote.length, -1) } };
  // Kept private from the start of the session.
  await expectStatus(a.api.post(`${at}/start`), 200, 'start');
  await expectStatus(a.api.post(`${at}/blind/observations`, privately), 201, 'private observation');
  client.destroy();
  const review = await expectStatus(supervisor.api.get<ReviewView>(`${at}/review`), 200, 'review');
  const run = review.blocks.flatMap((block) => block.runs).find((r) => r.text === t.quote)!;
  const anchor = { type: 'passage', start: { client: run.client, clock: run.clock }, end: { client: run.client, clock: run.clock + t.quote.length - 1 }, quote: t.quote };
  const comment = await expectStatus(supervisor.api.post<CommentView>(`${at}/comments`, { anchor, body: t.comment }), 201, 'comment');
  await expectStatus(supervisor.api.patch(`${at}/comments/${comment.id}`, { body: t.editedComment }), 200, 'edit comment');
  await expectStatus(b.api.post(`${at}/comments`, { parentId: comment.id, body: t.reply }), 201, 'reply');

  await expectStatus(a.api.post(`${at}/end`), 200, 'end');
  await expectStatus(a.api.post(`${at}/sign`), 200, 'A signs');
  await expectStatus(b.api.post(`${at}/sign`), 200, 'B signs');
  await expectStatus(a.api.post(`${at}/addenda`, { text: t.addendum }), 201, 'addendum');
  await expectStatus(supervisor.api.post(`${at}/return`, { reason: t.returnReason }), 200, 'return');
  return id;
}

/** Every marker as the API shows it: session list and record, review, comments, audit log. */
async function expectReadBack(clinic: Clinic, id: string, t: TypedText): Promise<void> {
  const at = `/api/sessions/${id}`;
  const listed = (await expectStatus(clinic.a.api.get<SessionView[]>('/api/sessions'), 200, 'list')).find((s) => s.id === id);
  expect(listed).toMatchObject({ title: t.title, groupMembers: t.labels });
  expect(await expectStatus(clinic.b.api.get<SessionView>(at), 200, 'session')).toMatchObject({ title: t.title, groupMembers: t.labels });
  const { members } = await expectStatus(clinic.a.api.get<{ members: { member: string; attendance: string; noteSessionId: string | null }[] }>(`${at}/member-notes`), 200, 'member notes');
  expect(members.map((m) => [m.member, m.attendance, m.noteSessionId !== null])).toEqual([[t.labels[0], 'late', true], [t.labels[1], 'present', true], [t.labels[2], 'absent', false]]);
  const review = await expectStatus(clinic.supervisor.api.get<ReviewView>(`${at}/review`), 200, 'review');
  expect(review.title).toBe(t.title);
  expect(review.returns.map((r) => r.reason)).toEqual([t.returnReason]);
  expect(review.addenda.map((a) => a.text)).toEqual([t.addendum]);
  const comments = await expectStatus(clinic.a.api.get<CommentView[]>(`${at}/comments`), 200, 'comments');
  const shown = (c: CommentView | undefined) => c && { body: c.body, quote: c.anchor.type === 'passage' ? c.anchor.quote : null };
  expect(comments).toHaveLength(2);
  expect(shown(comments.find((c) => c.parentId === null))).toEqual({ body: t.editedComment, quote: t.quote });
  expect(shown(comments.find((c) => c.parentId !== null))).toEqual({ body: t.reply, quote: t.quote });
  expect(review.observations.map((o) => [o.member, o.quote])).toEqual([[t.labels[0], t.quote]]);
  const debrief = await expectStatus(clinic.supervisor.api.get<DebriefView>(`${at}/debrief`), 200, 'debrief');
  expect(debrief.fields.find((f) => f.field === 'plan')?.body).toBe(t.debrief);
  const audit = await expectStatus(clinic.admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${id}`), 200, 'audit');
  expect(audit.filter((e) => e.detail.override).map((e) => [e.action, e.detail.reason])).toEqual([
    ['member_removed', t.removeReason],
    ['member_added', t.addReason],
  ]);
}

/** The SQLite database, its WAL and its shared-memory index, as bytes. */
function sqliteBytes(dataDir: string): Buffer {
  const files = ['tandem.db', 'tandem.db-wal', 'tandem.db-shm'].map((f) => path.join(dataDir, f)).filter((f) => fs.existsSync(f));
  return Buffer.concat(files.map((f) => fs.readFileSync(f)));
}

/** Every column of every row of every table in the schema, as text (bytea shows as hex). */
async function postgresText(url: string, schema: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows: tables } = await c.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    const rows: string[] = [];
    for (const { name } of tables) rows.push(...(await c.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`)).rows.map((r) => r.row));
    return rows.join('\n');
  } finally {
    await c.end();
  }
}

/** The markers that occur in `stored`; in a text dump also as hex, the way bytea columns show. */
const foundIn = (stored: string | Buffer, wanted: string[]) =>
  wanted.filter((w) => stored.includes(w) || (typeof stored === 'string' && stored.includes(Buffer.from(w).toString('hex'))));

describe('typed text is encrypted at rest (TANDEM_ENCRYPTION_KEY)', () => {
  it('on SQLite: no marker is in the database, its WAL or its shared memory, and the API shows each one', async () => {
    const server = await startTestServer({ env: { TANDEM_ENCRYPTION_KEY: key() } });
    const clinic = await createClinic(server.baseUrl);
    const t = typedText();
    const control = marker('CONTROL');
    const id = await writeTypedText(clinic, server.baseUrl, t, control);
    const stored = sqliteBytes(server.dataDir);
    expect(foundIn(stored, [control])).toEqual([control]);
    expect(foundIn(stored, needles(t))).toEqual([]);
    await expectReadBack(clinic, id, t);
  });

  it('reads text written in the clear and under the previous key after a rotation, and seals what is rewritten with the new key', async () => {
    const dataDir = tempDir();
    const [oldKey, newKey] = [key(), key()];
    const first = await startTestServer({ dataDir });
    const restart = (env: Record<string, string>) => startTestServer({ dataDir, env: { PORT: String(first.port), ...env } });
    const clinic = await createClinic(first.baseUrl);
    const clear = typedText();
    const clearId = await writeTypedText(clinic, first.baseUrl, clear, marker('CONTROL'));
    await first.close();

    const underOld = await restart({ TANDEM_ENCRYPTION_KEY: oldKey });
    const sealed = typedText();
    const sealedId = await writeTypedText(clinic, underOld.baseUrl, sealed, marker('CONTROL'));
    // A line under the old key in the note of the session written in the clear (returned, so open).
    const writer = connectClient(underOld.baseUrl, clearId, clinic.a.api.cookie);
    await expect.poll(() => writer.provider.synced).toBe(true);
    appendParagraph(writer.doc, 'a line written under the old key');
    await expect.poll(() => writer.isSaved()).toBe(true);
    writer.destroy();
    await underOld.close();

    const rotated = await restart({ TANDEM_ENCRYPTION_KEY: newKey, TANDEM_ENCRYPTION_PREVIOUS_KEYS: oldKey });
    await expectReadBack(clinic, clearId, clear);
    await expectReadBack(clinic, sealedId, sealed);
    // Written again with one more (the labels of members with notes stay: memberNoteLabels.test.ts), the whole list is sealed anew.
    const relabelled = [...sealed.labels, label()];
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${sealedId}/group-members`, { labels: relabelled }), 200, 'relabel');
    const stored = (id: string) => {
      const db = new Database(path.join(dataDir, 'tandem.db'), { readonly: true });
      const row = db.prepare('SELECT title, group_members FROM sessions WHERE id = ?').get(id) as { title: string; group_members: string };
      db.close();
      return { title: row.title, labels: JSON.parse(row.group_members) as string[] };
    };
    expect((await clinic.b.api.get<SessionView>(`/api/sessions/${sealedId}`)).body.groupMembers).toEqual(relabelled);
    expect(stored(clearId).title).toBe(clear.title); // text from before encryption is read as it is, not rewritten
    const keyIdOf = (text: string) => /^enc:v1:([0-9a-f]{8}):/.exec(text)?.[1] ?? 'not sealed';
    const titleKey = keyIdOf(stored(sealedId).title);
    const labelKeys = stored(sealedId).labels.map(keyIdOf);
    expect(titleKey).toMatch(/^[0-9a-f]{8}$/);
    expect(labelKeys).toEqual(relabelled.map(() => expect.stringMatching(/^[0-9a-f]{8}$/)));
    expect(new Set(labelKeys).size).toBe(1);
    expect(labelKeys[0]).not.toBe(titleKey);
    await rotated.close();

    // Without the old key: what it sealed is refused, never shown as ciphertext; text written in
    // the clear still reads, and that session's note (with an entry under the old key) is not served.
    const withoutOld = await restart({ TANDEM_ENCRYPTION_KEY: newKey });
    expect((await clinic.b.api.get(`/api/sessions/${sealedId}`)).status).toBe(500);
    expect((await clinic.b.api.get<SessionView>(`/api/sessions/${clearId}`)).body.title).toBe(clear.title);
    const reader = connectClient(withoutOld.baseUrl, clearId, clinic.b.api.cookie);
    await expect.poll(() => reader.closes.some((c) => c.code === 4503)).toBe(true);
    expect(reader.text()).toBe('');
  });
});

describeWith([Postgres], 'typed text is encrypted at rest on PostgreSQL', async () => {
  it('no marker is in any column of any table, and the API shows each one', async () => {
    const { url, schema } = await freshPostgresSchema();
    const server = await startTestServer({ env: { DATABASE_URL: url, TANDEM_ENCRYPTION_KEY: key() } });
    const clinic = await createClinic(server.baseUrl);
    const t = typedText();
    const control = marker('CONTROL');
    const id = await writeTypedText(clinic, server.baseUrl, t, control);
    const stored = await postgresText(url, schema);
    expect(foundIn(stored, [control])).toEqual([control]);
    expect(foundIn(stored, needles(t))).toEqual([]);
    await expectReadBack(clinic, id, t);
  });
});

import type { CommentView, ReviewView } from '../../shared/domain/review';
import type { SessionKind } from '../../shared/domain/session';
import { expectStatus, type ApiClient, type Clinic, type Person } from './api';
import { liveGroupWithLine } from './connectClient';

/** The steps of the supervisor's desk scenarios, each checked for success. */
export const step = (api: ApiClient, sessionId: string, what: 'start' | 'end' | 'sign' | 'cosign', body: unknown = {}) =>
  expectStatus(api.post(`/api/sessions/${sessionId}/${what}`, body), 200, `${what} ${sessionId}`);

export const returnNote = (api: ApiClient, sessionId: string, reason: string) => expectStatus(api.post(`/api/sessions/${sessionId}/return`, { reason }), 200, 'return');

/** A session run by `a` with `b` as co-therapist and `supervisor` supervising, planned at `scheduledAt`. */
export async function pairSession(
  people: { a: Person; b: Person; supervisor: Person },
  title: string,
  opts: { kind?: SessionKind; scheduledAt?: string } = {},
): Promise<string> {
  const { id } = await expectStatus(
    people.a.api.post<{ id: string }>('/api/sessions', { title, kind: opts.kind ?? 'group', ...(opts.scheduledAt ? { scheduledAt: opts.scheduledAt } : {}) }),
    201,
    'create session',
  );
  await expectStatus(people.a.api.post(`/api/sessions/${id}/members`, { userId: people.b.id, role: 'therapist' }), 201, 'add co-therapist');
  await expectStatus(people.a.api.post(`/api/sessions/${id}/members`, { userId: people.supervisor.id, role: 'supervisor' }), 201, 'add supervisor');
  return id;
}

/** Started, ended and signed by both therapists: waiting for the supervisor. */
export async function signedSession(clinic: Pick<Clinic, 'a' | 'b' | 'supervisor'>, title: string, opts: { kind?: SessionKind; scheduledAt?: string } = {}): Promise<string> {
  const id = await pairSession(clinic, title, opts);
  await step(clinic.a.api, id, 'start');
  await step(clinic.a.api, id, 'end');
  await step(clinic.a.api, id, 'sign');
  await step(clinic.b.api, id, 'sign');
  return id;
}

/**
 * A started group session (M1, M2) whose note holds `line` by A, A's client gone, and where the
 * supervisor may comment: `anchor` points at the line's first two letters. `comment` posts one.
 */
export async function lineToComment(baseUrl: string, clinic: Clinic, line: string) {
  const { id, a } = await liveGroupWithLine(baseUrl, clinic, line);
  a.destroy();
  const run = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`)).body.blocks.flatMap((b) => b.runs).find((r) => r.text === line)!;
  const anchor = { type: 'passage', start: { client: run.client, clock: run.clock }, end: { client: run.client, clock: run.clock + 1 }, quote: line.slice(0, 2) };
  const comment = (body: string) => expectStatus(clinic.supervisor.api.post<CommentView>(`/api/sessions/${id}/comments`, { anchor, body }), 201, 'comment');
  return { id, anchor, comment };
}

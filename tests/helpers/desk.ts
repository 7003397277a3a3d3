import type { SessionKind } from '../../shared/domain/session';
import { expectStatus, type ApiClient, type Clinic, type Person } from './api';

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

import { describe, expect, it } from 'vitest';
import { ApiClient, createPerson, createSession, type Clinic } from '../helpers/api';
import { upgradeStatus } from '../helpers/rawSocket';
import { startClinic } from '../helpers/clinic';

type Who = 'anonymous' | 'admin' | 'therapist' | 'supervisor' | 'nonMember';

interface RouteCase {
  name: string;
  call: (api: ApiClient, ctx: { sessionId: string; clinic: Clinic }) => Promise<{ status: number }>;
  expect: Record<Who, number>;
}

/** Every route and the upgrade, for every kind of caller. */
const routes: RouteCase[] = [
  { name: 'GET /api/me', call: (api) => api.get('/api/me'), expect: { anonymous: 401, admin: 200, therapist: 200, supervisor: 200, nonMember: 200 } },
  { name: 'GET /api/users', call: (api) => api.get('/api/users'), expect: { anonymous: 401, admin: 200, therapist: 200, supervisor: 403, nonMember: 200 } },
  {
    name: 'POST /api/users',
    call: (api) => api.post('/api/users', { email: `u${Math.random()}@x.test`, name: 'New Person', password: 'long enough pw', role: 'clinician' }),
    expect: { anonymous: 401, admin: 201, therapist: 403, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'PATCH /api/users/:id',
    call: (api, { clinic }) => api.patch(`/api/users/${clinic.outsider.id}`, { name: 'Olu Outsider' }),
    expect: { anonymous: 401, admin: 200, therapist: 403, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'POST /api/sessions',
    call: (api) => api.post('/api/sessions', { title: 'New one', kind: 'individual' }),
    expect: { anonymous: 401, admin: 403, therapist: 201, supervisor: 403, nonMember: 201 },
  },
  { name: 'GET /api/sessions', call: (api) => api.get('/api/sessions'), expect: { anonymous: 401, admin: 200, therapist: 200, supervisor: 200, nonMember: 200 } },
  {
    name: 'GET /api/sessions/:id',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  {
    name: 'GET /api/sessions/:id/access',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/access`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  {
    // An admin changes members only with a reason (400 without one).
    name: 'POST /api/sessions/:id/members',
    call: (api, { sessionId, clinic }) => api.post(`/api/sessions/${sessionId}/members`, { userId: clinic.b.id, role: 'therapist' }),
    expect: { anonymous: 401, admin: 400, therapist: 201, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'POST /api/sessions/:id/members {reason}',
    call: (api, { sessionId, clinic }) => api.post(`/api/sessions/${sessionId}/members`, { userId: clinic.b.id, role: 'therapist', reason: 'reassigned' }),
    expect: { anonymous: 401, admin: 201, therapist: 201, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'DELETE /api/sessions/:id/members/:userId',
    call: (api, { sessionId, clinic }) => api.delete(`/api/sessions/${sessionId}/members/${clinic.supervisor.id}`),
    expect: { anonymous: 401, admin: 400, therapist: 204, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'DELETE /api/sessions/:id/members/:userId {reason}',
    call: (api, { sessionId, clinic }) => api.request('DELETE', `/api/sessions/${sessionId}/members/${clinic.supervisor.id}`, { reason: 'reassigned' }),
    expect: { anonymous: 401, admin: 204, therapist: 204, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'GET /api/sessions/:id/member-notes',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/member-notes`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  {
    // The test's session has no group members: an empty attendance is a valid change.
    name: 'PUT /api/sessions/:id/attendance',
    call: (api, { sessionId }) => api.request('PUT', `/api/sessions/${sessionId}/attendance`, { attendance: {} }),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 403, nonMember: 403 },
  },
  {
    // Before the session ended there is nothing to derive (409).
    name: 'POST /api/sessions/:id/member-notes',
    call: (api, { sessionId }) => api.post(`/api/sessions/${sessionId}/member-notes`),
    expect: { anonymous: 401, admin: 403, therapist: 409, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'GET /api/sessions/:id/member-notes/:member',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/member-notes/M9`),
    expect: { anonymous: 401, admin: 403, therapist: 404, supervisor: 404, nonMember: 403 },
  },
  {
    name: 'GET /api/sessions/:id/sign-check',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/sign-check`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  {
    name: 'GET /api/sessions/:id/group-history',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/group-history`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  { name: 'GET /api/audit', call: (api) => api.get('/api/audit'), expect: { anonymous: 401, admin: 200, therapist: 403, supervisor: 403, nonMember: 403 } },
  { name: 'GET /api/login-throttles', call: (api) => api.get('/api/login-throttles'), expect: { anonymous: 401, admin: 200, therapist: 403, supervisor: 403, nonMember: 403 } },
  {
    name: 'DELETE /api/login-throttles/:id',
    call: (api) => api.delete(`/api/login-throttles/${encodeURIComponent('pair:192.0.2.99 nobody@clinic.test')}`),
    expect: { anonymous: 401, admin: 404, therapist: 403, supervisor: 403, nonMember: 403 },
  },
  {
    // Each case ends the logins of a fresh account, so the callers' own logins live on.
    name: 'DELETE /api/users/:id/logins',
    call: async (api, { clinic }) => api.delete(`/api/users/${(await createPerson(clinic.admin.api, 'clinician', 'Logged Out')).id}/logins`),
    expect: { anonymous: 401, admin: 200, therapist: 403, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'POST /api/me/password',
    call: (api) => api.post('/api/me/password', { currentPassword: 'wrong one', newPassword: 'another long pw' }),
    expect: { anonymous: 401, admin: 400, therapist: 400, supervisor: 400, nonMember: 400 },
  },
  // The supervisor's desk (issue 19).
  { name: 'GET /api/queue', call: (api) => api.get('/api/queue'), expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 200 } },
  { name: 'GET /api/notices', call: (api) => api.get('/api/notices'), expect: { anonymous: 401, admin: 200, therapist: 200, supervisor: 200, nonMember: 200 } },
  { name: 'POST /api/notices/read', call: (api) => api.post('/api/notices/read', {}), expect: { anonymous: 401, admin: 200, therapist: 200, supervisor: 200, nonMember: 200 } },
  {
    name: 'GET /api/sessions/:id/threads',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/threads`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  {
    // No such comment: members learn that (404); others never get that far.
    name: 'POST /api/sessions/:id/comments/:commentId/resolve',
    call: (api, { sessionId }) => api.post(`/api/sessions/${sessionId}/comments/00000000-0000-4000-8000-000000000000/resolve`, { resolved: true }),
    expect: { anonymous: 401, admin: 403, therapist: 404, supervisor: 404, nonMember: 403 },
  },
  {
    name: 'GET /api/sessions/:id/supervision-notes',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/supervision-notes`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  {
    name: 'POST /api/sessions/:id/supervision-notes',
    call: (api, { sessionId }) => api.post(`/api/sessions/${sessionId}/supervision-notes`, { body: 'Held the silence', codes: ['alliance'] }),
    expect: { anonymous: 401, admin: 403, therapist: 201, supervisor: 201, nonMember: 403 },
  },
  { name: 'GET /api/competencies', call: (api) => api.get('/api/competencies'), expect: { anonymous: 401, admin: 200, therapist: 200, supervisor: 200, nonMember: 200 } },
  {
    name: 'POST /api/competencies',
    call: (api) => api.post('/api/competencies', { name: `Skill ${Math.random()}` }),
    expect: { anonymous: 401, admin: 201, therapist: 403, supervisor: 403, nonMember: 403 },
  },
  { name: 'GET /api/dyads', call: (api) => api.get('/api/dyads'), expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 200 } },
  {
    name: 'GET /api/dyads/trend',
    call: (api, { clinic }) => api.get(`/api/dyads/trend?ids=${clinic.a.id},${clinic.b.id}`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  { name: 'GET /api/audit/log', call: (api) => api.get('/api/audit/log?limit=5'), expect: { anonymous: 401, admin: 200, therapist: 403, supervisor: 403, nonMember: 403 } },
  { name: 'GET /api/audit/export.csv', call: (api) => api.get('/api/audit/export.csv?action=login'), expect: { anonymous: 401, admin: 200, therapist: 403, supervisor: 403, nonMember: 403 } },
  {
    name: 'GET /api/sessions/:id/concordance',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/concordance`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  {
    name: 'GET /api/sessions/:id/debrief',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/debrief`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 200, nonMember: 403 },
  },
  {
    name: 'PUT /api/sessions/:id/debrief/:field',
    call: (api, { sessionId }) => api.request('PUT', `/api/sessions/${sessionId}/debrief/plan`, { body: 'Open with the check-in', baseVersion: 0 }),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'PUT /api/sessions/:id/blind',
    call: (api, { sessionId }) => api.request('PUT', `/api/sessions/${sessionId}/blind`, { enabled: true }),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'GET /api/sessions/:id/blind/observations',
    call: (api, { sessionId }) => api.get(`/api/sessions/${sessionId}/blind/observations`),
    expect: { anonymous: 401, admin: 403, therapist: 200, supervisor: 403, nonMember: 403 },
  },
  {
    // A session that is not blind has nothing to reveal (409) for those who may ask.
    name: 'POST /api/sessions/:id/blind/reveal',
    call: (api, { sessionId }) => api.post(`/api/sessions/${sessionId}/blind/reveal`),
    expect: { anonymous: 401, admin: 403, therapist: 409, supervisor: 403, nonMember: 403 },
  },
  {
    name: 'websocket upgrade /sync/:id',
    call: async (api, { sessionId }) => ({
      status: await upgradeStatus(api.baseUrl, `/sync/${sessionId}`, { origin: api.origin, ...(api.cookie ? { cookie: api.cookie } : {}) }),
    }),
    expect: { anonymous: 401, admin: 403, therapist: 101, supervisor: 101, nonMember: 403 },
  },
];

describe('authorization on every route and the websocket upgrade', async () => {
  const { server, clinic } = await startClinic();
  const callers: Record<Who, ApiClient> = {
    anonymous: new ApiClient(server.baseUrl),
    admin: clinic.admin.api,
    therapist: clinic.a.api,
    supervisor: clinic.supervisor.api,
    nonMember: clinic.outsider.api,
  };
  const cases = routes.flatMap((r) => (Object.keys(r.expect) as Who[]).map((who) => [r.name, who, r] as const));

  it.each(cases)('%s as %s', async (_name, who, route) => {
    // A fresh session per case, so a case that changes membership cannot affect another.
    const sessionId = await createSession(clinic);
    const res = await route.call(callers[who], { sessionId, clinic });
    expect(res.status).toBe(route.expect[who]);
  });

  it('answers unknown session ids with 404 and malformed ids with 400', async () => {
    expect((await clinic.a.api.get('/api/sessions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await clinic.a.api.get('/api/sessions/not-a-uuid')).status).toBe(400);
    expect((await clinic.a.api.get('/api/sessions/..%2F..%2Fetc')).status).toBe(400);
  });
});

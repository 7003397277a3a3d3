/**
 * A member note states the group session's length as the session's own page and review do
 * (walk, 6 Dec: a session of 4 min 57 s read "Lasted 4 min" on the group page and "Duration: 5 min"
 * in each member's chart note; a length a chart states is what billing and audits read).
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../server/persistence/ports';
import { formatDuration } from '../../shared/domain/observation';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

/** How long before its start request each session titled here had started (the server owns time; the store is told earlier). */
const STARTED_EARLIER: Record<string, number> = {
  'Half past four minutes': (4 * 60 + 30) * 1000,
  'An hour and four and a half minutes': (64 * 60 + 30) * 1000,
  'Forty seconds': 40 * 1000,
};

describe('a member note’s duration', async () => {
  const titles = new Map<string, number>();
  /** Moves the stored start of the sessions above back by their amount, as if the clock had been started then. */
  const earlierStarts = (store: Store): Store => ({
    ...store,
    commit: (writes) =>
      store.commit(
        writes.map((w) => {
          const back = w.kind === 'session' && w.patch.startedAt ? titles.get(w.id) : undefined;
          return back && w.kind === 'session' && w.patch.startedAt ? { ...w, patch: { ...w.patch, startedAt: w.patch.startedAt - back } } : w;
        }),
      ),
  });
  const { server, clinic } = await startClinic({ decorateStore: earlierStarts });

  async function endedGroup(title: string) {
    const { id } = await expectStatus(clinic.a.api.post<{ id: string }>('/api/sessions', { title, kind: 'group' }), 201, 'create');
    titles.set(id, STARTED_EARLIER[title]!);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.b.id, role: 'therapist' }), 201, 'add B');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1'] }), 200, 'labels');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M1: 'present' } }), 200, 'attendance');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const group = await expectStatus(clinic.a.api.get<{ startedAt: string; endedAt: string }>(`/api/sessions/${id}`), 200, 'group');
    const { noteSessionId } = await expectStatus(clinic.a.api.get<{ noteSessionId: string }>(`/api/sessions/${id}/member-notes/M1`), 200, 'member note');
    const res = await fetch(`${server.baseUrl}/api/sessions/${noteSessionId}/export.md`, { headers: { cookie: clinic.a.api.cookie! } });
    const duration = /Duration: (.+)/.exec(await res.text())?.[1];
    return { duration, pageSays: formatDuration(Date.parse(group.endedAt) - Date.parse(group.startedAt)) };
  }

  it.each([
    ['Half past four minutes', '4 min'],
    ['An hour and four and a half minutes', '1 h 04 min'],
    ['Forty seconds', 'under a minute'],
  ])('%s: the member note says what the group page says (%s)', async (title, expected) => {
    const { duration, pageSays } = await endedGroup(title);
    expect(pageSays).toBe(expected);
    expect(duration).toBe(pageSays);
  });
});

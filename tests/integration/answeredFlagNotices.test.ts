import { describe, expect, it } from 'vitest';
import type { Store } from '../../server/persistence/ports';
import type { NoticesView } from '../../shared/domain/supervisor';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { ApiClient, createClinic, expectStatus } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { answerFlag, twoFlagsFromA } from '../helpers/noteOps';
import { startTestServer, tempDir } from '../helpers/startTestServer';

/** `port` with some of its methods replaced. */
const replacing = <T extends object>(port: T, methods: Partial<T>): T => Object.assign(Object.create(Object.getPrototypeOf(port) as object) as T, port, methods);

/** A store as a server before ae6b493 kept it: an answer left the flag's notices as they were, and no start reworded them. */
const noRewording = (store: Store): Store => ({
  ...store,
  notices: replacing(store.notices, { flagsAnswered: async () => 0 }),
  passes: replacing(store.passes, { done: async () => undefined }),
});

// Walk, 7 Dec: flags answered before answers reworded their notices (ae6b493, 6 Dec) still read
// "Flag for you — Alex Therapist flagged something for you in …", unread, in the inbox.
describe('the notice of a flag answered before answers reworded notices', () => {
  it('reads as answered, and read, once the server starts again; an unanswered flag’s still asks', async () => {
    const dataDir = tempDir();
    const before = await startTestServer({ dataDir, decorateStore: noRewording });
    const clinic = await createClinic(before.baseUrl);
    const { id, writer } = await twoFlagsFromA(before.baseUrl, clinic);
    writer.destroy();
    const inboxOf = async (api: ApiClient) => (await expectStatus(api.get<NoticesView>('/api/notices'), 200, 'inbox')).notices.filter((n) => n.sessionId === id);
    await expect.poll(async () => (await inboxOf(clinic.b.api)).map((n) => n.kind), { timeout: 10_000 }).toEqual(['flag', 'flag']);

    const answerer = connectClient(before.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => answerer.provider.synced).toBe(true);
    const flags = [...sessionDoc(answerer.doc).observations.values()].filter((o) => o.forCoTherapist);
    const answered = flags[0]!;
    answerFlag(answerer.doc, answered.id, { by: clinic.b.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => answerer.isSaved()).toBe(true);
    answerer.destroy();
    // As the clinic's inbox held it: the answered flag's notice still asking.
    expect((await inboxOf(clinic.b.api)).map((n) => [n.kind, n.read])).toEqual([['flag', false], ['flag', false]]);
    await before.close();

    const after = await startTestServer({ dataDir });
    const b = new ApiClient(after.baseUrl);
    await expectStatus(b.post('/api/auth/login', { email: clinic.b.email, password: clinic.b.password }), 200, 'B logs in');
    const other = flags.find((f) => f.id !== answered.id)!;
    const byFlag = async () => Object.fromEntries((await after.store.notices.list(clinic.b.id, 10)).map((n) => [n.refId, n.kind]));
    await expect.poll(byFlag, { timeout: 10_000 }).toEqual({ [answered.id]: 'flag_answered', [other.id]: 'flag' });
    expect((await inboxOf(b)).map((n) => [n.kind, n.read, n.text]).sort()).toEqual([
      ['flag', false, 'Alex Therapist flagged something for you in “Tuesday group”.'],
      ['flag_answered', true, 'Alex Therapist flagged something for you in “Tuesday group”; the flag has been answered in the note.'],
    ]);
    await after.close();

    // Done once: a later start reads no note for it (each start read every note with an
    // unanswered flag's notice, a number that only grows).
    const owed: boolean[] = [];
    let listed = 0;
    await startTestServer({
      dataDir,
      decorateStore: (store) => ({
        ...store,
        passes: replacing(store.passes, { owed: async (name) => (owed[owed.length] = await store.passes.owed(name)) }),
        notices: replacing(store.notices, { flagNotices: async () => (listed++, store.notices.flagNotices()) }),
      }),
    });
    await expect.poll(() => owed).toEqual([false]);
    expect(listed).toBe(0);
  });
});

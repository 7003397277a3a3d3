/**
 * A flag's inbox write that fails is tried again, in its place among the note's inbox writes. It
 * was logged and dropped: an answer whose write failed left "Flag for you" in the inbox for good
 * (only a server start reworded it, by reading every note with such a notice at every start).
 */
import { describe, expect, it } from 'vitest';
import { isLocked } from '../../shared/domain/lifecycle';
import type { NoticesView } from '../../shared/domain/supervisor';
import type { Store } from '../../server/persistence/ports';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { createClinic, expectStatus } from '../helpers/api';
import { step } from '../helpers/desk';
import { connectClient } from '../helpers/connectClient';
import { answerFlag, twoFlagsFromA } from '../helpers/noteOps';
import { startTestServer } from '../helpers/startTestServer';

type Fails = (method: 'create' | 'flagsAnswered', call: number, store: Store) => boolean | Promise<boolean>;

/** The store's notices fail where `fails(method, call, store)` says, with a database's error. */
function failingNotices(fails: Fails) {
  const calls = { create: 0, flagsAnswered: 0 };
  return (store: Store): Store => {
    const fault = async (method: keyof typeof calls) => {
      if (await fails(method, ++calls[method], store)) throw Object.assign(new Error('connection terminated unexpectedly'), { code: 'ECONNRESET' });
    };
    return {
      ...store,
      notices: Object.assign(Object.create(Object.getPrototypeOf(store.notices) as object) as Store['notices'], store.notices, {
        create: async (records: Parameters<Store['notices']['create']>[0]) => (await fault('create'), store.notices.create(records)),
        flagsAnswered: async (...args: Parameters<Store['notices']['flagsAnswered']>) => (await fault('flagsAnswered'), store.notices.flagsAnswered(...args)),
      }),
    };
  };
}

describe('a flag notice whose inbox write fails', () => {
  it('is stored once each, for two flags in one update whose notices’ write failed once, and reads as answered after its answer’s write failed', async () => {
    // The flags' notices (one write for both) fail once; the first answer's inbox write fails twice.
    const server = await startTestServer({ decorateStore: failingNotices((method, call) => (method === 'create' ? call === 1 : call <= 2)) });
    const clinic = await createClinic(server.baseUrl);
    const { id, writer } = await twoFlagsFromA(server.baseUrl, clinic);
    // As stored (the inbox's view does not show which flag a notice is of).
    const inbox = async () => (await server.store.notices.list(clinic.b.id, 10)).map((n) => [n.refId, n.kind, n.readAt !== null]);
    const flags = [...sessionDoc(writer.doc).observations.values()].map((o) => o.id).sort();
    await expect.poll(async () => (await inbox()).sort(), { timeout: 30_000 }).toEqual(flags.map((f) => [f, 'flag', false]));

    const answerer = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => answerer.provider.synced).toBe(true);
    answerFlag(answerer.doc, flags[0]!, { by: clinic.b.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => answerer.isSaved()).toBe(true);
    await expect.poll(async () => (await inbox()).sort(), { timeout: 30_000 }).toEqual([[flags[0], 'flag_answered', true], [flags[1], 'flag', false]]);
    writer.destroy();
    answerer.destroy();
  });

  it('reads as answered once the note is locked, though every try of its answer’s write failed until then', async () => {
    // Each inbox write of an answer fails while the note is open: as if its 8 tries had all failed.
    let id = '';
    let failed = 0;
    const whileOpen: Fails = async (method, _call, store) => method === 'flagsAnswered' && !isLocked((await store.sessions.byId(id))!.status) && ++failed > 0;
    const server = await startTestServer({ decorateStore: failingNotices(whileOpen) });
    const clinic = await createClinic(server.baseUrl);
    const flagged = await twoFlagsFromA(server.baseUrl, clinic);
    id = flagged.id;
    flagged.writer.destroy();
    const answerer = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => answerer.provider.synced).toBe(true);
    const [answered, other] = [...sessionDoc(answerer.doc).observations.values()].map((o) => o.id);
    answerFlag(answerer.doc, answered!, { by: clinic.b.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => answerer.isSaved()).toBe(true);
    answerer.destroy();
    await expect.poll(() => failed, { timeout: 30_000 }).toBeGreaterThan(0);

    for (const [who, what] of [[clinic.a, 'end'], [clinic.a, 'sign'], [clinic.b, 'sign']] as const) await step(who.api, id, what);
    // Told by the signature's answer: B's inbox as the lock left it, no try of the answer's write since.
    const byFlag = new Map((await server.store.notices.list(clinic.b.id, 10)).map((n) => [n.id, n.refId]));
    const inbox = (await expectStatus(clinic.b.api.get<NoticesView>('/api/notices'), 200, 'inbox')).notices.filter((n) => n.sessionId === id && n.kind.startsWith('flag'));
    expect(inbox.map((n) => [byFlag.get(n.id), n.kind, n.read]).sort()).toEqual([[answered, 'flag_answered', true], [other, 'flag_unanswered', false]].sort());
  });
});


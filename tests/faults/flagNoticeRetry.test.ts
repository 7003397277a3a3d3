/**
 * A flag's inbox write that fails is tried again, in its place among the note's inbox writes. It
 * was logged and dropped: an answer whose write failed left "Flag for you" in the inbox for good
 * (only a server start reworded it, by reading every note with such a notice at every start).
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../server/persistence/ports';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { createClinic } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { answerFlag, twoFlagsFromA } from '../helpers/noteOps';
import { startTestServer } from '../helpers/startTestServer';

/** The store's notices fail where `fails(method, call)` says, with a database's error. */
function failingNotices(fails: (method: 'create' | 'flagsAnswered', call: number) => boolean) {
  const calls = { create: 0, flagsAnswered: 0 };
  const fault = (method: keyof typeof calls) => {
    if (fails(method, ++calls[method])) throw Object.assign(new Error('connection terminated unexpectedly'), { code: 'ECONNRESET' });
  };
  return (store: Store): Store => ({
    ...store,
    notices: Object.assign(Object.create(Object.getPrototypeOf(store.notices) as object) as Store['notices'], store.notices, {
      create: async (records: Parameters<Store['notices']['create']>[0]) => (fault('create'), store.notices.create(records)),
      flagsAnswered: async (...args: Parameters<Store['notices']['flagsAnswered']>) => (fault('flagsAnswered'), store.notices.flagsAnswered(...args)),
    }),
  });
}

describe('a flag notice whose inbox write fails', () => {
  it('is stored once each, for two flags in one update whose second notice failed, and reads as answered after its answer’s write failed', async () => {
    // The second flag's notice fails once; the first answer's inbox write fails twice.
    const server = await startTestServer({ decorateStore: failingNotices((method, call) => (method === 'create' ? call === 2 : call <= 2)) });
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
});

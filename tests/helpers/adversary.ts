import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { flagResponseSchema, observationSchema, type Observation } from '../../shared/domain/observation';
import { LATE_ENTRIES, NOTE_FIELD, OBSERVATIONS, RESPONSES, sessionDoc, STAMPS, stampKey } from '../../shared/ydoc/sessionDoc';
import type { Clinic } from './api';
import { appendParagraph, connectClient, noteText } from './connectClient';
import { craftFrom, deleteOnly, observation, roundTrip, updateOf, writerOf } from './craft';
import { openRaw, updateFrame } from './rawSocket';

/** What one adversary run is allowed to know: the note as the server sent it, and who is who. */
interface Scene {
  state: Uint8Array;
  a: { id: string; client: number; observations: string[]; flagged: string[] };
  b: { id: string };
  serverClients: number[];
}

/** One tampered write: from the scene, the updates B sends in this order. */
type Attack = { name: string; build(scene: Scene, bClients: Set<number>): Uint8Array[] };

const forgedFields = fc.record({
  author: fc.constantFrom('a', 'b'),
  tags: fc.constantFrom(['affect'], ['astrology'], ['affect', 'nonexistent']).map((t) => [...t]),
  member: fc.constantFrom(null, 'M1', 'ZZ'),
  createdAt: fc.constantFrom(1, Date.UTC(2100, 0, 1), Date.now() - 3_600_000, Date.now()),
  forCoTherapist: fc.boolean(),
});
type Forged = typeof forgedFields extends fc.Arbitrary<infer T> ? T : never;

const forge = (scene: Scene, f: Forged, id: string): Observation =>
  observation({ id, authorId: f.author === 'a' ? scene.a.id : scene.b.id, tags: f.tags, member: f.member, createdAt: f.createdAt, forCoTherapist: f.forCoTherapist });

const crafted = (scene: Scene, bClients: Set<number>, clientID?: number) => {
  const doc = craftFrom(scene.state, clientID);
  bClients.add(doc.clientID);
  return doc;
};

/** A new key half of the time, else one of A's observations (to rewrite what A wrote). */
const pickKey = (scene: Scene, i: number) =>
  i % 2 === 0 || scene.a.observations.length === 0 ? randomUUID() : scene.a.observations[(i >> 1) % scene.a.observations.length]!;

/** The kinds of tampering, each a generator of attacks. */
const attacks: fc.Arbitrary<Attack> = fc.oneof(
  // Several values under one key, in one update: Yjs shows the last. A guard that reads only the
  // first is the bug this hunts, so the first value is B's own, well formed, most of the time.
  fc.tuple(fc.boolean(), fc.array(forgedFields, { minLength: 1, maxLength: 3 }), fc.nat()).map(([validFirst, values, k]): Attack => ({
    name: 'several-values',
    build: (scene, bClients) => {
      const doc = crafted(scene, bClients);
      const key = pickKey(scene, k);
      const first = validFirst ? [observation({ id: key, authorId: scene.b.id })] : [];
      return [updateOf(doc, () => {
        for (const o of [...first, ...values.map((v) => forge(scene, v, key))]) sessionDoc(doc).observations.set(key, o);
      })];
    },
  })),
  // A value that depends on an item sent later (parts out of order).
  fc.tuple(forgedFields, forgedFields, fc.boolean()).map(([first, second, reversed]): Attack => ({
    name: 'reordered',
    build: (scene, bClients) => {
      const key = randomUUID();
      const one = crafted(scene, bClients);
      const u1 = updateOf(one, () => sessionDoc(one).observations.set(key, forge(scene, first, key)));
      const two = crafted({ ...scene, state: Y.encodeStateAsUpdate(one) }, bClients);
      const u2 = updateOf(two, () => sessionDoc(two).observations.set(key, forge(scene, second, key)));
      return reversed ? [u2, u1] : [u1, u2];
    },
  })),
  // Writing under A's or the server's client id.
  fc.tuple(fc.boolean(), forgedFields).map(([asServer, f]): Attack => ({
    name: 'foreign-client',
    build: (scene) => {
      const client = asServer && scene.serverClients.length > 0 ? scene.serverClients[0]! : scene.a.client;
      const doc = craftFrom(scene.state, client);
      const key = randomUUID();
      return [updateOf(doc, () => {
        appendParagraph(doc, 'written under someone else’s client id');
        sessionDoc(doc).observations.set(key, forge(scene, f, key));
      })];
    },
  })),
  // Deleting clocks that do not exist yet, of A or of the server.
  fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 500 })).map(([asServer, skip, len]): Attack => ({
    name: 'delete-beyond',
    build: (scene) => {
      const client = asServer && scene.serverClients.length > 0 ? scene.serverClients[0]! : scene.a.client;
      const doc = craftFrom(scene.state);
      return [deleteOnly([{ client, clock: Y.getState(doc.store, client) + skip, len }])];
    },
  })),
  // Removing what exists: A's observation, A's answerless flag, a late label or a receipt stamp.
  fc.tuple(fc.constantFrom(OBSERVATIONS, RESPONSES, LATE_ENTRIES, STAMPS), fc.nat()).map(([map, k]): Attack => ({
    name: 'delete-existing',
    build: (scene, bClients) => {
      const doc = crafted(scene, bClients);
      const keys = Array.from(doc.getMap(map).keys());
      if (keys.length === 0) return [];
      return [updateOf(doc, () => doc.getMap(map).delete(keys[k % keys.length]!))];
    },
  })),
  // Answers: in A's name, to an unflagged observation, or B's honest answer.
  fc.tuple(fc.boolean(), fc.boolean(), fc.nat()).map(([asA, flaggedOnly, k]): Attack => ({
    name: 'answer',
    build: (scene, bClients) => {
      const targets = flaggedOnly ? scene.a.flagged : scene.a.observations;
      if (targets.length === 0) return [];
      const doc = crafted(scene, bClients);
      const key = targets[k % targets.length]!;
      return [updateOf(doc, () => sessionDoc(doc).responses.set(key, { by: asA ? scene.a.id : scene.b.id, at: 1, answer: 'disputed', note: 'forged?' }))];
    },
  })),
  // Content the editor and export do not render, and honest typing.
  fc.tuple(fc.constantFrom('heading-level', 'node', 'link', 'mark', 'root', 'text'), fc.integer({ min: -10, max: 10 }), fc.constantFrom('javascript:alert(1)', 'https://example.org', 'data:text/html,x')).map(([kind, n, href]): Attack => ({
    name: `content:${kind}`,
    build: (scene, bClients) => {
      const doc = crafted(scene, bClients);
      const note = doc.getXmlFragment(NOTE_FIELD);
      return [updateOf(doc, () => {
        const p = new Y.XmlElement(kind === 'node' ? 'iframe' : kind === 'heading-level' ? 'heading' : 'paragraph');
        if (kind === 'heading-level') p.setAttribute('level', n as unknown as string);
        p.insert(0, [new Y.XmlText('crafted text')]);
        note.push([p]);
        const text = p.get(0) as Y.XmlText;
        if (kind === 'link') text.format(0, 7, { link: { href, target: '_blank', rel: null, class: null, title: null } });
        if (kind === 'mark') text.format(0, 7, { blink: {} });
        if (kind === 'root') doc.getArray('elsewhere').push([n]);
      })];
    },
  })),
);

export interface AdversaryFigures {
  runs: number;
  updates: number;
  refused: number;
  /** Invariant breaks are test failures; the count is printed for the reliability report. */
  breaks: number;
}

/**
 * Runs the property-based adversary: A types and tags honestly with the stock provider on
 * `aBaseUrl`, B sends randomly tampered updates over a raw socket on `bBaseUrl` (the same server,
 * or another process of a cluster). After every run the invariants must hold on the server's note.
 */
export async function runAdversary(opts: {
  aBaseUrl: string;
  bBaseUrl: string;
  clinic: Clinic;
  sessionId: string;
  runs: number;
  seed: number;
  phase: 'live' | 'locked';
  /** Yjs client ids of A's and B's documents over the whole session (shared between phases). */
  clients: { a: Set<number>; b: Set<number> };
}): Promise<AdversaryFigures> {
  const { clinic, sessionId } = opts;
  const a = connectClient(opts.aBaseUrl, sessionId, clinic.a.api.cookie);
  await expect.poll(() => a.provider.synced).toBe(true);
  opts.clients.a.add(a.doc.clientID);
  let raw = await openRaw(opts.bBaseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: opts.bBaseUrl });
  const figures: AdversaryFigures = { runs: 0, updates: 0, refused: 0, breaks: 0 };
  const aObservations = Array.from(sessionDoc(a.doc).observations.keys());
  const aFlagged: string[] = [];
  const bClients = opts.clients.b;
  const lockedText = opts.phase === 'locked' ? noteText(a.doc) : null;

  await fc.assert(
    fc.asyncProperty(fc.array(attacks, { minLength: 1, maxLength: 4 }), fc.boolean(), async (batch, flag) => {
      figures.runs++;
      if (raw.ws.readyState !== raw.ws.OPEN) raw = await openRaw(opts.bBaseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: opts.bBaseUrl });
      if (opts.phase === 'live') {
        // The honest co-therapist keeps writing and tagging between the attacks.
        const o = observation({ authorId: clinic.a.id, forCoTherapist: flag, member: flag ? 'M1' : null });
        appendParagraph(a.doc, `A writes line ${figures.runs}`);
        sessionDoc(a.doc).observations.set(o.id, o);
        aObservations.push(o.id);
        if (flag) aFlagged.push(o.id);
        await expect.poll(() => a.isSaved()).toBe(true);
      }
      // B may be on another process: attack the note as it stands there once A's writes reached it
      // (a loaded machine's fan-out can trail A's "Saved").
      let state = await roundTrip(raw);
      await expect.poll(async () => {
        state = await roundTrip(raw);
        const held = sessionDoc(readDoc(state)).observations;
        return aObservations.every((id) => held.has(id));
      }).toBe(true);
      const scene: Scene = {
        state,
        a: { id: clinic.a.id, client: a.doc.clientID, observations: aObservations, flagged: aFlagged },
        b: { id: clinic.b.id },
        serverClients: serverClientsOf(state, opts.clients.a, bClients),
      };
      const refusedBefore = raw.notices.filter((n) => n.type === 'refused').length;
      for (const attack of batch) {
        for (const update of attack.build(scene, bClients)) {
          raw.ws.send(updateFrame(update));
          figures.updates++;
        }
      }
      const after = await roundTrip(raw);
      figures.refused += raw.notices.filter((n) => n.type === 'refused').length - refusedBefore;
      try {
        checkInvariants(after, { aClients: opts.clients.a, aObservations, bClients, clinic, lockedText });
        await expect.poll(() => a.isSaved()).toBe(true);
      } catch (err) {
        figures.breaks++;
        throw err;
      }
    }),
    { seed: opts.seed, numRuns: opts.runs, endOnFailure: true },
  );
  // The honest client converged with the server, and the server is still up and serving.
  await expect.poll(async () => noteText(readDoc(await roundTrip(raw)))).toBe(noteText(a.doc));
  expect((await clinic.a.api.get(`/api/sessions/${sessionId}`)).status).toBe(200);
  return figures;
}

function readDoc(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/** Client ids that wrote the note's server-only maps: the server's own (one per process). */
function serverClientsOf(state: Uint8Array, aClients: Set<number>, bClients: Set<number>): number[] {
  const doc = readDoc(state);
  const ids = new Set<number>();
  for (const map of [LATE_ENTRIES, STAMPS]) for (const key of doc.getMap(map).keys()) ids.add(writerOf(doc, map, key)!);
  for (const c of [...aClients, ...bClients]) ids.delete(c);
  return [...ids];
}

/** The invariants of the trust anchor, on the note as the server holds it. */
function checkInvariants(state: Uint8Array, ctx: { aClients: Set<number>; aObservations: string[]; bClients: Set<number>; clinic: Clinic; lockedText: string | null }): void {
  const doc = readDoc(state);
  const { observations, responses, stamps, lateEntries } = sessionDoc(doc);
  const accountOf = (client: number | undefined) =>
    client !== undefined && ctx.aClients.has(client) ? ctx.clinic.a.id : client !== undefined && ctx.bClients.has(client) ? ctx.clinic.b.id : undefined;
  for (const [key, value] of observations) {
    const o = observationSchema.parse(value);
    // Every observation is by the account bound to the client id that wrote it.
    expect(o.authorId, `observation ${key}`).toBe(accountOf(writerOf(doc, OBSERVATIONS, key)));
    expect(o.tags.every((t) => ['affect', 'nonverbal'].includes(t)), `observation ${key} tags ${o.tags}`).toBe(true);
    expect([null, 'M1', 'M2']).toContain(o.member);
    // The server owns time.
    expect(stamps.get(stampKey(OBSERVATIONS, key)), `stamp of ${key}`).toBeDefined();
  }
  for (const [key, value] of responses) {
    const r = flagResponseSchema.parse(value);
    expect(r.by, `answer to ${key}`).toBe(accountOf(writerOf(doc, RESPONSES, key)));
    const target = observations.get(key);
    expect(target?.forCoTherapist, `answer to ${key} is to a flag`).toBe(true);
    expect(target?.authorId).not.toBe(r.by);
  }
  // Only its author removes an observation: every one A made is there.
  for (const id of ctx.aObservations) expect(observations.has(id), `A's observation ${id}`).toBe(true);
  // While live, nothing is a late entry.
  if (ctx.lockedText === null) expect(lateEntries.size).toBe(0);
  else expect(noteText(doc)).toBe(ctx.lockedText);
}

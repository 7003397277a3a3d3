/**
 * Node, attribute and mark names a client writes are looked up in the note's schema. Read as plain
 * properties, names Object itself answers to ("constructor", "__proto__", "toString") found
 * Object's members, the judging threw, and the writer's socket was closed as if its update were
 * malformed (4400, final: the page stops syncing). They are refused like any name the note does not
 * hold, the socket stays open and nothing is applied (attack, 6 Dec).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { craftFrom, readState, roundTrip, updateOf } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { startTestServer } from '../helpers/startTestServer';

/** An object with `name` as its own key (a literal `{ __proto__: … }` would set the prototype instead). */
const keyed = (name: string, value: unknown): Record<string, unknown> => Object.fromEntries([[name, value]]);

const firstLine = (d: Y.Doc) => d.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement;

describe('names Object answers to, written into the note by a co-therapist', async () => {
  const server = await startTestServer();
  const clinic = await createClinic(server.baseUrl);

  const forgeries: [string, (d: Y.Doc, name: string) => void][] = [
    ['a mark on the other therapist’s words', (d, name) => (firstLine(d).get(0) as Y.XmlText).format(0, 2, keyed(name, {}))],
    ['a mark on new words', (d, name) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('her own words')]);
      d.getXmlFragment(NOTE_FIELD).push([p]);
      (p.get(0) as Y.XmlText).format(0, 3, keyed(name, true));
    }],
    ['an attribute of a paragraph', (d, name) => firstLine(d).setAttribute(name, 'x')],
    ['a node', (d, name) => d.getXmlFragment(NOTE_FIELD).push([new Y.XmlElement(name)])],
  ];

  for (const name of ['constructor', '__proto__', 'toString']) {
    it(`"${name}": each is refused as content the note cannot hold; the socket stays open and the note is unchanged`, async () => {
      const sessionId = await createSession(clinic);
      const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
      await expect.poll(() => a.provider.synced).toBe(true);
      appendParagraph(a.doc, 'M2 went quiet when her father came up');
      await expect.poll(() => a.isSaved()).toBe(true);
      const before = Y.encodeStateVector(a.doc);

      const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
      const state = await roundTrip(raw);
      let closed: number | null = null;
      raw.ws.on('close', (code: number) => (closed = code));
      for (const [, forge] of forgeries) {
        const b = craftFrom(state);
        raw.ws.send(updateFrame(updateOf(b, () => forge(b, name))));
      }
      await roundTrip(raw);
      expect(closed).toBeNull();
      expect(raw.notices.filter((n) => n.type === 'refused').map((n) => (n as { code: string }).code)).toEqual(forgeries.map(() => 'invalid_content'));
      raw.ws.close();
      // The server's note is what A wrote, and nothing more.
      const fresh = await openRaw(server.baseUrl, sessionId, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
      expect(Y.encodeStateVector(readState(await roundTrip(fresh)).doc)).toEqual(before);
      fresh.ws.close();
      a.destroy();
    });
  }
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { noteShape } from '../../server/collab/noteShape';
import { inspectUpdate, knownFromDoc } from '../../server/collab/updateGate';
import { chunkUpdate, updateFrames, updateOfFrame } from '../../shared/protocol/updateParts';
import { NOTE_FIELD, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { noteText } from '../helpers/connectClient';

/** A paste of `paragraphs` paragraphs of ~200 characters, as one transaction of one client. */
function paste(paragraphs: number) {
  const server = new Y.Doc();
  sessionDoc(server);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(client);
  client.transact(() => {
    const note = client.getXmlFragment(NOTE_FIELD);
    note.insert(0, Array.from({ length: paragraphs }, (_, i) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`${i} `.padEnd(200, 'x'))]);
      return p;
    }));
    // Deleting part of the paste in the same change puts a delete set in the update.
    (note.get(1) as Y.XmlElement).delete(0, 1);
  });
  return { server, client, update: Y.encodeStateAsUpdate(client, before) };
}

describe('an update in pieces', () => {
  it('gives pieces of about the size asked, each complete once the earlier ones are in, together the whole', () => {
    const { server, client, update } = paste(5000);
    const pieces = chunkUpdate(update, 64 * 1024);
    expect(pieces.length).toBeGreaterThan(10);
    for (const piece of pieces) {
      expect(piece.byteLength).toBeLessThan(80 * 1024);
      const facts = inspectUpdate(knownFromDoc(server), piece, noteShape);
      expect(facts).toMatchObject({ complete: true, problem: null });
      Y.applyUpdate(server, piece);
    }
    expect(server.store.pendingStructs).toBeNull();
    expect(noteText(server)).toBe(noteText(client));
    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(client));
  });

  it('frames the pieces as sync updates, and leaves small updates whole', () => {
    const { update } = paste(3000);
    const frames = updateFrames(update, 128 * 1024);
    expect(frames.length).toBeGreaterThan(1);
    const merged = Y.mergeUpdates(frames.map((f) => updateOfFrame(f)!));
    const a = new Y.Doc();
    Y.applyUpdate(a, merged);
    const b = new Y.Doc();
    Y.applyUpdate(b, update);
    expect(noteText(a)).toBe(noteText(b));
    const small = paste(2).update;
    expect(chunkUpdate(small, 128 * 1024)).toEqual([small]);
    expect(updateOfFrame(new Uint8Array([1, 0]))).toBeNull();
  });
});

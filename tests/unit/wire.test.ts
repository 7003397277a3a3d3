import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkStateVector, decodeClientMessage, encodeAwareness, encodeSyncStep1, encodeUpdate, WireError } from '../../server/collab/wire';
import { MessageType } from '../../shared/protocol/messageType';

const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

describe('wire decoding', () => {
  it('decodes each client message kind the server’s own encoders write', () => {
    const doc = docWithText('hello');
    const sv = Y.encodeStateVector(doc);
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeClientMessage(encodeSyncStep1(sv))).toEqual({ kind: 'sync-step1', stateVector: sv });
    expect(decodeClientMessage(encodeUpdate(update))).toEqual({ kind: 'sync-update', update });
    expect(decodeClientMessage(encodeAwareness(new Uint8Array([0])))).toEqual({ kind: 'awareness', update: new Uint8Array([0]) });
    expect(decodeClientMessage(frame((e) => encoding.writeVarUint(e, MessageType.QueryAwareness)))).toEqual({ kind: 'query-awareness' });
  });

  it('takes a sync step 2 as an update to judge, like any other', () => {
    const update = Y.encodeStateAsUpdate(docWithText('step two'));
    const step2 = frame((e) => {
      encoding.writeVarUint(e, MessageType.Sync);
      encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
      encoding.writeVarUint8Array(e, update);
    });
    expect(decodeClientMessage(step2)).toEqual({ kind: 'sync-update', update });
  });

  it.each([
    ['an empty frame', new Uint8Array([])],
    ['an unknown message type', frame((e) => encoding.writeVarUint(e, 42))],
    ['an unknown sync message type', frame((e) => { encoding.writeVarUint(e, MessageType.Sync); encoding.writeVarUint(e, 9); encoding.writeVarUint8Array(e, new Uint8Array([0])); })],
    ['a payload longer than the frame', frame((e) => { encoding.writeVarUint(e, MessageType.Awareness); encoding.writeVarUint(e, 100); encoding.writeUint8(e, 1); })],
    ['trailing bytes', frame((e) => { encoding.writeVarUint(e, MessageType.QueryAwareness); encoding.writeUint8(e, 7); })],
    ['a server-only message type', frame((e) => encoding.writeVarUint(e, MessageType.Saved))],
  ])('refuses %s with a WireError', (_name, bytes) => {
    expect(() => decodeClientMessage(bytes)).toThrow(WireError);
  });

  it('checks a state vector before anything reads it', () => {
    const doc = docWithText('abc');
    expect(checkStateVector(Y.encodeStateVector(doc), 1).get(doc.clientID)).toBe(3);
    expect(() => checkStateVector(new Uint8Array([5, 1]), 10)).toThrow(WireError);
    // Counted before it is decoded (attack, 2 Dec: 1.5 million made-up clients, 2 s to answer).
    const many = new Map(Array.from({ length: 11 }, (_, i) => [i + 1, 1] as [number, number]));
    expect(checkStateVector(Y.encodeStateVector(many), 11).size).toBe(11);
    expect(() => checkStateVector(Y.encodeStateVector(many), 10)).toThrow(/names 11 clients/);
  });
});

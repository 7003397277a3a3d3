/**
 * A guard or an after-apply step that throws, or any other failure while a client's message is
 * handled, ends that connection at most, never the process (attack, 3 Dec: one crafted frame threw
 * in an after-apply step and exited it). The gate is driven with a note of its own here; the
 * crafted frames themselves are in tests/hostile/clientRuns.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Connection } from '../../server/collab/Connection';
import { HeldBudget } from '../../server/collab/heldUpdates';
import { closeForFailure } from '../../server/collab/messageFailure';
import { knownFromDoc } from '../../server/collab/updateGate';
import { WireError } from '../../server/collab/wire';
import { WriteGate, type AfterApply, type GateNote, type WriteGuard } from '../../server/collab/writeGate';
import { createLogger } from '../../server/log';
import type { SessionRecord } from '../../server/persistence/ports';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { appendParagraph } from '../helpers/connectClient';
import { craftFrom, updateOf } from '../helpers/craft';

/** A logger that keeps its lines, and a writer's connection that keeps what it was sent and how it was closed. */
function recorded() {
  const lines: { level: string; msg: string }[] = [];
  const log = createLogger('debug', (line) => lines.push(JSON.parse(line) as { level: string; msg: string }));
  const sent: Uint8Array[] = [];
  const closed: { code: number; reason: string }[] = [];
  const conn = {
    id: randomUUID(), canWrite: true, lastActivityAt: 0,
    principal: { accountId: randomUUID(), name: 'A', color: '#123456', role: 'therapist', loginId: 'login-1' },
    send: (bytes: Uint8Array) => sent.push(bytes),
    close: (code: number, reason: string) => closed.push({ code, reason }),
  } as unknown as Connection;
  return { log, lines, conn, sent, closed };
}

/** A note holding one paragraph, with a gate running `guards` and `afterApply` over it. */
function gated(guards: WriteGuard[], afterApply: AfterApply[]) {
  const rec = recorded();
  const doc = new Y.Doc();
  sessionDoc(doc);
  appendParagraph(doc, 'hello');
  const session: SessionRecord = { id: randomUUID(), title: 'Group', kind: 'group', status: 'live', scheduledAt: null, createdAt: 0, createdBy: rec.conn.principal.accountId, startedAt: 0, endedAt: null, groupMembers: [], version: 1 };
  const clientAccounts = new Map<number, string>();
  const note: GateNote = {
    session, doc, clientAccounts, sessionId: session.id, serverClient: doc.clientID,
    transactLocal: (fn) => doc.transact(fn),
    known: () => knownFromDoc(doc),
    building: () => false,
    applyJudged: (conn, update, facts) => {
      for (const c of facts.writers) clientAccounts.set(c, conn.principal.accountId);
      Y.applyUpdate(doc, update);
    },
    // This note has no other processes to hold back.
    holdFanout: () => () => {},
    wholeNote: { parts: () => [Y.encodeStateAsUpdate(doc)] },
  };
  const gate = new WriteGate(note, { guards, afterApply, log: rec.log, announcerOf: () => null, heldBudget: new HeldBudget() });
  const typed = (words: string) => {
    const copy = craftFrom(Y.encodeStateAsUpdate(doc));
    return updateOf(copy, () => appendParagraph(copy, words));
  };
  const text = () => JSON.stringify(sessionDoc(doc).note.toJSON());
  return { ...rec, gate, typed, text };
}

describe('a failure while a client’s message is handled', () => {
  it('in a guard refuses the update (nothing goes in unjudged) and is logged as an error', () => {
    const broken: WriteGuard = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    };
    const { gate, conn, typed, text, sent, lines } = gated([broken], []);
    gate.receive(conn, typed('never judged'));
    expect(text()).not.toContain('never judged');
    expect(new TextDecoder().decode(sent.at(-1))).toContain('"code":"not_judged"');
    expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['a write guard failed; the update was refused']);
  });

  it('in an after-apply step leaves the update applied, runs the later steps, and is logged as an error', () => {
    const ran: string[] = [];
    const steps = [
      () => {
        throw new TypeError('a defect');
      },
      () => ran.push('next step'),
    ];
    const { gate, conn, typed, text, closed, lines } = gated([], steps);
    gate.receive(conn, typed('applied all the same'));
    expect(text()).toContain('applied all the same');
    expect(ran).toEqual(['next step']);
    expect(closed).toEqual([]);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['a step after applying an update failed; the update stays applied']);
  });

  it('anywhere else closes its connection only: 4400 for bytes that are not the protocol, 1011 for the server’s own', () => {
    const { conn, closed, log, lines } = recorded();
    expect(closeForFailure(conn, new WireError('malformed document update'), log, 's1')).toBe('bad_message');
    expect(closeForFailure(conn, new RangeError('a defect'), log, 's1')).toBe('server_error');
    expect(closed.map((c) => c.code)).toEqual([CloseCode.BadMessage, CloseCode.ServerError]);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'bad message; closing connection'],
      ['error', 'handling a message failed; closing its connection'],
    ]);
  });
});

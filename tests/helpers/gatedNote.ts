import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { JudgeBigUpdate } from '../../server/collab/bigUpdate';
import type { Connection } from '../../server/collab/Connection';
import { HeldBudget } from '../../server/collab/heldUpdates';
import { knownFromDoc } from '../../server/collab/updateGate';
import { WriteGate, type AfterApply, type GateNote, type WriteGuard } from '../../server/collab/writeGate';
import { createLogger } from '../../server/log';
import type { SessionRecord } from '../../server/persistence/ports';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { appendParagraph } from './connectClient';
import { craftFrom, updateOf } from './craft';

/*
 * A write gate driven directly, with a note of its own (a Y.Doc holding one paragraph): for unit
 * tests of the receive path that need no server.
 */

/** A logger that keeps its lines, and a writer's connection that keeps what it was sent and how it was closed. */
export function recorded() {
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

/** A note holding one paragraph, with a gate running `guards` and `afterApply` over it (big updates judged by `judgeBigUpdate`, in line by default). */
export function gated(guards: WriteGuard[], afterApply: AfterApply[], judgeBigUpdate?: JudgeBigUpdate) {
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
  const gate = new WriteGate(note, { guards, afterApply, log: rec.log, announcerOf: () => null, heldBudget: new HeldBudget(), ...(judgeBigUpdate ? { judgeBigUpdate } : {}) });
  const typed = (words: string) => {
    const copy = craftFrom(Y.encodeStateAsUpdate(doc));
    return updateOf(copy, () => appendParagraph(copy, words));
  };
  const text = () => JSON.stringify(sessionDoc(doc).note.toJSON());
  return { ...rec, gate, typed, text };
}

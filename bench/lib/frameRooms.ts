import type { TandemNotice } from './clients';
import type { DeliveryTracker, WriterLog } from './delivery';
import { FrameClient } from './frameClient';
import { verifyStorage, type Correctness } from './rooms';
import type { Deployment, Role } from './systems';
import type { TypingScript, WriterScript } from './typingScript';
import { mapLimit } from './util';

/** One writer of a session at the frame level: its socket, its script and how far it typed. */
export interface FrameWriter {
  client: FrameClient;
  script: WriterScript;
  log: WriterLog;
  /** Keys sent so far (the index of the next key in the script). */
  keys: number;
}

/** One session's three frame-level clients. */
export interface FrameRoom {
  name: string;
  writers: [FrameWriter, FrameWriter];
  reader: FrameClient;
  all: FrameClient[];
  /** What the server held before the setup (its answer to writer A's first sync step 1). */
  initial: Uint8Array;
}

/** Sends the writer's next scripted key and logs it for delivery timing. */
export function typeNextKey(w: FrameWriter): void {
  const key = w.script.key(w.keys++);
  const t0 = performance.now();
  w.client.sendUpdate(key.update);
  if (key.insertTarget !== null) w.log.inserted(key.insertTarget, t0);
  else if (key.deleteId) w.log.deleted(key.deleteId, t0);
}

/** Sends the writer's presence: the caret after its last key. */
export function sendPresence(w: FrameWriter): void {
  w.client.sendPresence(w.script.clientId, w.keys > 0 ? w.script.key(w.keys - 1).presence : w.script.initialPresence());
}

/** Which server process a client of session `index` connects to (scale-out); 0 when there is one. */
export type Placement = (index: number, role: Role) => number;

/**
 * Opens every room: writer A connects and sends the seed and its paragraph; writer B connects,
 * waits until the server's sync answer holds A's setup, and adds its paragraph; the reader
 * connects and waits until its answer holds both (a server that keeps no state, the relay, is
 * only connected to). Each receiver's updates go to the tracker.
 */
export async function openFrameRooms(
  dep: Deployment,
  names: string[],
  script: TypingScript,
  tracker: DeliveryTracker,
  onNotice: (n: TandemNotice) => void,
  placement: Placement = () => 0,
  timeoutMs = 30_000,
): Promise<FrameRoom[]> {
  const [scriptA, scriptB] = script.writers;
  return mapLimit(names, 16, async (name, index) => {
    const logA = tracker.writer(scriptA.clientId);
    const logB = tracker.writer(scriptB.clientId);
    const [pA, pB, pR] = (['writerA', 'writerB', 'reader'] as const).map((role) => placement(index, role)) as [number, number, number];
    const stateful = dep.target(name, 'reader').syncedOn === 'server';
    const receiverA = tracker.receiver([logB], [pB !== pA]);
    const receiverB = tracker.receiver([logA], [pA !== pB]);
    const receiverR = tracker.receiver([logA, logB], [pA !== pR, pB !== pR]);
    const a = new FrameClient(dep.target(name, 'writerA', pA), { onUpdate: receiverA, onSaved: (sv) => tracker.acked(logA, sv), onNotice });
    await a.ready(timeoutMs);
    const initial = a.lastStep2 ?? new Uint8Array([0, 0]);
    a.sendUpdate(script.setupA);
    const b = new FrameClient(dep.target(name, 'writerB', pB), { onUpdate: receiverB, onSaved: (sv) => tracker.acked(logB, sv), onNotice });
    await b.ready(timeoutMs);
    if (stateful) await b.fetchCovering(script.afterA, timeoutMs);
    b.sendUpdate(script.setupB);
    const reader = new FrameClient(dep.target(name, 'reader', pR), { onUpdate: receiverR, onNotice });
    await reader.ready(timeoutMs);
    if (stateful) await reader.fetchCovering(script.afterSetup, timeoutMs);
    const writers: [FrameWriter, FrameWriter] = [
      { client: a, script: scriptA, log: logA, keys: 0 },
      { client: b, script: scriptB, log: logB, keys: 0 },
    ];
    for (const w of writers) sendPresence(w);
    reader.sendPresence(scriptB.clientId + 1, JSON.stringify({ user: { name: 'reader' }, cursor: null }));
    return { name, writers, reader, all: [a, b, reader], initial };
  });
}

/**
 * End of a frame-level step: no edit was lost at any receiver and (systems with storage) a cold
 * restart serves each session exactly the document its writers' scripts make. Receivers hold no
 * document, so "diverged" counts rooms where some receiver missed an edit.
 */
export async function checkFrameCorrectness(dep: Deployment, rooms: FrameRoom[], tracker: DeliveryTracker, script: TypingScript, withStorage: boolean): Promise<Correctness> {
  const lostEdits = tracker.undelivered();
  const divergedRooms = rooms.filter((r) => r.writers.some((w) => w.log.undelivered() > 0)).length;
  for (const r of rooms) for (const c of r.all) c.close();
  const expected = withStorage ? rooms.map((r) => ({ name: r.name, doc: script.expectedDoc(r.initial, r.writers[0].keys, r.writers[1].keys) })) : [];
  const storageMismatches = withStorage ? await verifyStorage(dep, expected) : 0;
  for (const e of expected) e.doc.destroy();
  const notes: string[] = [];
  if (divergedRooms) notes.push(`${divergedRooms} rooms where a receiver missed an edit`);
  if (lostEdits) notes.push(`${lostEdits} edits never reached a receiver`);
  if (storageMismatches) notes.push(`${storageMismatches} rooms reloaded from storage differ from the writers' scripts`);
  return { divergedRooms, lostEdits, storageChecked: withStorage, storageMismatches, passed: notes.length === 0, notes };
}

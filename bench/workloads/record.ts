/**
 * A long record of corrections (tandem): therapist B corrects therapist A's words letter by
 * letter while the server keeps every correction in the note (`struck`, `formatted`:
 * shared/note/struckWords.ts, formattedWords.ts) and reads those maps on every update it judges.
 * What one more correction costs the server must not grow with the record: when the indexes over
 * those maps were built again after every change, B deleting A's letters one at a time went from
 * 2.5 to 7.7 ms of server time a frame over 6,000 struck letters (fixed in dc0b3f6). Each step
 * adds K edits and reports the server's CPU per edit beside the record's size so far, so a cost
 * that grows with the record shows as a rising column.
 */
import * as Y from 'yjs';
import { isStored, trackDeletions, type StoredState } from '../../shared/protocol/storedState';
import { FORMATTED, STRUCK } from '../../shared/ydoc/sessionDoc';
import { noticeCounter, type ClientHooks, type TandemNotice } from '../lib/clients';
import { DeliveryTracker, type UpdateReceiver, type WriterLog } from '../lib/delivery';
import { noteOf } from '../lib/docShape';
import { LoadgenMonitor } from '../lib/loadgen';
import type { Options } from '../lib/options';
import { checkCorrectness, closeRooms, converged, openRooms, type Room } from '../lib/rooms';
import { roundPercentiles, type Percentiles } from '../lib/stats';
import { Deployment, type Role } from '../lib/systems';
import { round, sleep, waitUntil } from '../lib/util';

export interface RecordStep {
  /** 1, 2, …: the record grows from step to step. */
  step: number;
  edits: number;
  /** Entries of the note's `struck` and `formatted` maps after the step, as the reader holds them. */
  struck: number;
  formatted: number;
  /** Server CPU (all threads, the probe's) from the step's first edit until all of it was stored, per edit, µs. */
  serverCpuUsPerEdit: number;
  /** Each edit, from B's transaction until the reader applied it, ms. */
  deliveryMs: Percentiles;
  /** The server's longest event-loop stall and GC pause over the step, ms (its probe). */
  serverLagMaxMs: number;
  serverGcMaxMs: number;
  /** From the first edit until the reader had every edit and the server had stored all, s. */
  stepS: number;
  /** The load generator's longest stall and other processes' CPU over the step: large ones disturb the figures. */
  loadgen: { lagMaxMs: number; foreignCpuPct: number };
  /** Whether every edit of the step reached the reader and the server stored the note as B holds it. */
  settled: boolean;
}

export interface RecordRun {
  paragraphs: number;
  /** Steps of the same corrections in another note first, for the server's code to be compiled (not in the table). */
  warmup: RecordStep[];
  steps: RecordStep[];
  /** Notices other than access the server sent (a refused write, a failed save): none expected. */
  notices: Record<string, number>;
  /**
   * Every edit reached the reader and was stored, the three replicas agree at the end, and the
   * server restarted cold serves the note they hold.
   */
  correct: boolean;
}

/** One edit every this many ms: steady, and each its own transaction, so its own frame. */
const EDIT_EVERY_MS = 2;

/** Longest wait for a step's edits to reach the reader and be stored (the slow index took ~8 ms an edit). */
const SETTLE_TIMEOUT_MS = 120_000;

/**
 * A's line, ~75 characters, lowercase: B's typed letter ({@link TYPED}) never reads as one of
 * the letters B struck, so the server takes it as a new letter, not an undo that would take an
 * entry out of the record again.
 */
const LINE = 'client reports sleeping better and fewer panic attacks at work this week; ';
const TYPED = 'X';

type Kind = 'delete' | 'type' | 'bold';

/**
 * Of every 10 edits one is a typed letter and one a bolded letter; the rest are deletions, which
 * make the record grow. The pattern shifts by one each round through the paragraphs, so every
 * paragraph gets all three kinds (with 300 paragraphs, edit i % 10 alone would give each
 * paragraph one kind only).
 */
function kindOf(edit: number, paragraphs: number): Kind {
  const k = (edit + Math.floor(edit / paragraphs)) % 10;
  return k === 4 ? 'type' : k === 9 ? 'bold' : 'delete';
}

/** The Yjs id of the visible character at `index` of `text`, or null past its end. */
function charAt(text: Y.XmlText, index: number): Y.ID | null {
  return Y.createRelativePositionFromTypeIndex(text, index).item;
}

/**
 * B's edits of A's paragraphs. Each paragraph has a column where B deletes forward, one letter at
 * a time: each deleted letter stands right after the one deleted before it (the server looks up
 * B's earlier deletions there), and each is its own entry in `struck` (only a backspace, last
 * letter first, joins letters into one entry). B's typed letters go in at that column, right after
 * the deleted ones (the server looks for an undo there); B's bolds take A's letters before it.
 */
class Corrector {
  private readonly places: { column: number; typed: number; bolded: number }[];
  private next = 0;

  constructor(
    private readonly texts: Y.XmlText[],
    private readonly authorA: number,
    private readonly doc: Y.Doc,
  ) {
    // Columns 10–39, spread so neighbouring paragraphs differ; ~75 letters leave room for the deletions.
    this.places = texts.map((_, p) => ({ column: 10 + ((p * 7) % 30), typed: 0, bolded: 0 }));
  }

  /** Makes the next edit (one transaction) and logs it for delivery: a deletion under A's id, the rest under B's clock. */
  edit(deletes: WriterLog, inserts: WriterLog): void {
    const i = this.next++;
    const p = i % this.texts.length;
    const text = this.texts[p] as Y.XmlText;
    const place = this.places[p]!;
    // B's typed letters sit at the column, before A's next letter.
    const at = place.column + place.typed;
    const t0 = performance.now();
    switch (kindOf(i, this.texts.length)) {
      case 'delete': {
        const id = charAt(text, at);
        // Past A's words (a profile asking more edits than the paragraphs hold) the workload would measure something else.
        if (!id || id.client !== this.authorA) throw new Error(`paragraph ${p} has no letter of A's left at column ${at}`);
        text.delete(at, 1);
        deletes.deleted(id, t0);
        return;
      }
      case 'type':
        text.insert(at, TYPED);
        place.typed++;
        break;
      case 'bold':
        if (place.bolded >= place.column) throw new Error(`paragraph ${p} has no letter of A's left to bold`);
        text.format(place.bolded++, 1, { bold: {} });
        break;
    }
    inserts.inserted(Y.getState(this.doc.store, this.doc.clientID), t0);
  }
}

/** What the server last said it stored for a writer, against what that writer holds (deletions included). */
function storedWatch(doc: Y.Doc): { hooks: Pick<ClientHooks, 'onStored'>; all: () => boolean; stop: () => void } {
  // Attached before the client connects, so the tally counts everything the doc ever holds, as the server's does.
  const deletions = trackDeletions(doc);
  let stored: StoredState | null = null;
  return {
    hooks: { onStored: (s) => (stored = s) },
    all: () => stored !== null && isStored({ stateVector: Y.decodeStateVector(Y.encodeStateVector(doc)), deletions: deletions.tally() }, stored),
    stop: deletions.stop,
  };
}

/** Appends A's paragraphs of ~75 characters (the line, rotated) to the note in one transaction. */
function appendLines(doc: Y.Doc, count: number): void {
  const note = noteOf(doc);
  const paragraphs = Array.from({ length: count }, (_, i) => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(LINE.slice(i % LINE.length) + LINE.slice(0, i % LINE.length))]);
    return p;
  });
  note.insert(note.length, paragraphs);
}

type StoredWatch = ReturnType<typeof storedWatch>;

/** A note opened by A, B and the reader, with what the server last said it stored for each writer. */
interface OpenNote {
  room: Room;
  saved: Map<Role, StoredWatch>;
}

async function openNote(dep: Deployment, onNotice: (n: TandemNotice) => void): Promise<OpenNote> {
  const saved = new Map<Role, StoredWatch>();
  const hooks = (role: Role, doc: Y.Doc): ClientHooks => {
    const watch = storedWatch(doc);
    saved.set(role, watch);
    return { ...watch.hooks, onNotice };
  };
  const rooms = await openRooms(dep, await dep.createRooms(1), { seed: null, hooks }).catch((err: unknown) => {
    for (const watch of saved.values()) watch.stop();
    throw err;
  });
  return { room: rooms[0]!, saved };
}

/** Stops watching what is stored; with `clients`, also closes the note's clients and docs. */
function closeNote(note: OpenNote, clients: boolean): void {
  for (const watch of note.saved.values()) watch.stop();
  if (clients) closeRooms([note.room]);
}

/** A's paragraphs, then the steps of B's corrections, each until the reader has it and the server stored it. */
async function steps(dep: Deployment, { room, saved }: OpenNote, opts: Options, count: number): Promise<RecordStep[]> {
  const { paragraphs, editsPerStep } = opts.profile.record;
  const a = room.writers[0]!;
  const b = room.writers[1]!;
  const reader = room.reader;
  const settledAll = () => converged(room.all) && saved.get('writerA')!.all() && saved.get('writerB')!.all();
  const first = noteOf(a.doc).length;
  appendLines(a.doc, paragraphs);
  if (!(await waitUntil(settledAll, SETTLE_TIMEOUT_MS, 5))) throw new Error('A\'s paragraphs did not reach B and the reader, or were not stored');
  // B's own handles on the same paragraphs: B edits its replica, as a therapist's editor does.
  const texts = Array.from({ length: paragraphs }, (_, i) => (noteOf(b.doc).get(first + i) as Y.XmlElement).get(0) as Y.XmlText);
  const corrector = new Corrector(texts, a.doc.clientID, b.doc);
  let receive: UpdateReceiver = () => undefined;
  const onReaderUpdate = (update: Uint8Array) => receive(update, performance.now());
  reader.doc.on('update', onReaderUpdate);
  const server = dep.server!;
  const out: RecordStep[] = [];
  try {
    for (let step = 1; step <= count; step++) {
      // A tracker per step, for the step's own delivery percentiles. B's deletions are of A's
      // characters, so a receiver sees them in A's part of the delete set.
      const tracker = new DeliveryTracker(false);
      const deletes = tracker.writer(a.doc.clientID);
      const inserts = tracker.writer(b.doc.clientID);
      receive = tracker.receiver([deletes, inserts]);
      tracker.windowOpen = true;
      const loadgen = new LoadgenMonitor();
      const before = await server.probe();
      loadgen.start();
      const t0 = performance.now();
      for (let i = 0; i < editsPerStep; i++) {
        corrector.edit(deletes, inserts);
        // Paced against the start, so a late timer does not slow the pace; a wait of 0 still
        // yields, so each edit's frame goes out before the next edit is made.
        await sleep(Math.max(0, t0 + (i + 1) * EDIT_EVERY_MS - performance.now()));
      }
      const settled = await waitUntil(() => tracker.undelivered() === 0 && settledAll(), SETTLE_TIMEOUT_MS, 5);
      const stepMs = performance.now() - t0;
      const after = await server.probe();
      const cpuMs = (after.cpuUs - before.cpuUs) / 1000;
      const lg = loadgen.stop(cpuMs);
      tracker.windowOpen = false;
      out.push({
        step,
        edits: editsPerStep,
        struck: reader.doc.getMap(STRUCK).size,
        formatted: reader.doc.getMap(FORMATTED).size,
        serverCpuUsPerEdit: round((cpuMs * 1000) / editsPerStep, 0),
        deliveryMs: roundPercentiles(tracker.latency.percentiles()),
        serverLagMaxMs: round(after.lagMaxMs, 1),
        serverGcMaxMs: round(after.gcMaxMs, 1),
        stepS: round(stepMs / 1000, 2),
        loadgen: { lagMaxMs: round(lg.lagMaxMs, 1), foreignCpuPct: round(lg.foreignCpuPct, 0) },
        settled,
      });
      // A step that did not settle leaves the next one measuring its backlog.
      if (!settled) break;
    }
  } finally {
    reader.doc.off('update', onReaderUpdate);
  }
  return out;
}

export async function runRecord(opts: Options): Promise<RecordRun> {
  const dep = new Deployment('tandem', opts);
  const open = new Set<OpenNote>();
  try {
    await dep.start();
    const { notices, count: countNotice } = noticeCounter();
    const settled = (done: RecordStep[], count: number) => done.length === count && done.every((s) => s.settled);
    // Steps of the same corrections in another note first: the server's first few thousand edits
    // also pay for compiling its code (1.8 ms an edit, falling to ~1 ms), which would read as a
    // cost that falls as the record grows. The measured note's record starts empty. The warm-up
    // note stays open until the end: it would unload 2 s after its clients left, compacting its
    // log, inside the first measured step.
    const warm = await openNote(dep, countNotice);
    open.add(warm);
    const warmup = await steps(dep, warm, opts, opts.profile.record.warmupSteps);
    const measured = await openNote(dep, countNotice);
    open.add(measured);
    const { steps: count, paragraphs } = opts.profile.record;
    const done = await steps(dep, measured, opts, count);
    const warmPassed = settled(warmup, opts.profile.record.warmupSteps) && converged(warm.room.all);
    closeNote(warm, true);
    open.delete(warm);
    // checkCorrectness closes the measured note's clients itself, before restarting the server.
    closeNote(measured, false);
    open.delete(measured);
    const reloaded = await checkCorrectness(dep, [measured.room], null, true);
    const correct = warmPassed && settled(done, count) && reloaded.passed && Object.keys(notices).length === 0;
    return { paragraphs, warmup, steps: done, notices, correct };
  } finally {
    for (const note of open) closeNote(note, true);
    await dep.dispose();
  }
}

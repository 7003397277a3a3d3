import * as Y from 'yjs';
import { createClient, type BenchClient, type ClientHooks } from './clients';
import type { DeliveryTracker } from './delivery';
import { appendParagraph, sameContent } from './docShape';
import type { Deployment, Role } from './systems';
import { mapLimit, waitUntil } from './util';

/** One session's three clients and the paragraph each writer types into. */
export interface Room {
  name: string;
  writers: BenchClient[];
  reader: BenchClient;
  all: BenchClient[];
  /** Writer i types into texts[i]. */
  texts: Y.XmlText[];
}

export interface OpenRoomsOptions {
  /** Applied to the writers' docs before they connect (the reader starts empty). */
  seed: Uint8Array | null;
  /** Hooks of a client (e.g. tandem's Saved) given its role and doc. */
  hooks?: (role: Role, doc: Y.Doc) => ClientHooks;
  timeoutMs?: number;
}

/** Resolves when `client` is synced; rejects after `timeoutMs`. */
export function whenSynced(client: BenchClient, timeoutMs: number): Promise<void> {
  if (client.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client not synced after ${timeoutMs} ms${client.finalClose ? ` (closed ${client.finalClose.code} ${client.finalClose.reason})` : ''}`)), timeoutMs);
    client.onSynced(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Opens every room: writer A, writer B, then the reader (so a read-only client never holds
 * content the server lacks), each synced before the next; then each writer adds its paragraph
 * and we wait until the three replicas agree.
 */
export async function openRooms(dep: Deployment, names: string[], opts: OpenRoomsOptions): Promise<Room[]> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return mapLimit(names, 16, async (name) => {
    const open = async (role: Role): Promise<BenchClient> => {
      const doc = new Y.Doc();
      if (opts.seed && role !== 'reader') Y.applyUpdate(doc, opts.seed);
      const client = createClient(dep.target(name, role), doc, opts.hooks?.(role, doc) ?? {});
      await whenSynced(client, timeoutMs);
      return client;
    };
    const a = await open('writerA');
    const b = await open('writerB');
    const reader = await open('reader');
    const texts = [appendParagraph(a.doc), appendParagraph(b.doc)];
    const all = [a, b, reader];
    if (!(await waitUntil(() => converged(all), timeoutMs, 5))) throw new Error(`room ${name} did not converge after setup`);
    return { name, writers: [a, b], reader, all, texts };
  });
}

/** Whether every client of the room holds the same content. */
export function converged(clients: BenchClient[]): boolean {
  const [first, ...rest] = clients;
  return !first || rest.every((c) => sameContent(first.doc, c.doc));
}

export function closeRooms(rooms: Room[]): void {
  for (const r of rooms) {
    for (const c of r.all) {
      c.destroy();
      c.doc.destroy();
    }
  }
}

export interface Correctness {
  /** Rooms whose clients disagree at the end. */
  divergedRooms: number;
  /** Edits a receiver never saw. */
  lostEdits: number;
  /** Whether the stored state was reloaded (systems with storage) and compared. */
  storageChecked: boolean;
  /** Rooms whose reloaded state differs from the clients'. */
  storageMismatches: number;
  passed: boolean;
  notes: string[];
}

/**
 * Restarts the server cold on the same data and opens each room with a fresh, empty reader: what
 * it receives must equal what the clients hold. Waits for content, not for the provider's synced
 * flag: y-websocket-server may answer sync before its LevelDB load finished.
 */
export async function verifyStorage(dep: Deployment, expected: { name: string; doc: Y.Doc }[], timeoutMs = 20_000): Promise<number> {
  await dep.restart();
  let mismatches = 0;
  await mapLimit(expected, 32, async ({ name, doc }) => {
    const fresh = createClient(dep.target(name, 'reader'), new Y.Doc());
    const ok = await waitUntil(() => sameContent(fresh.doc, doc), timeoutMs, 10);
    if (!ok) mismatches++;
    fresh.destroy();
    fresh.doc.destroy();
  });
  return mismatches;
}

/** End of every run: clients agree, no edit was lost, and (with storage) a cold reload agrees. */
export async function checkCorrectness(dep: Deployment, rooms: Room[], tracker: DeliveryTracker | null, withStorage: boolean): Promise<Correctness> {
  const divergedRooms = rooms.filter((r) => !converged(r.all)).length;
  const lostEdits = tracker?.undelivered() ?? 0;
  const expected = rooms.map((r) => ({ name: r.name, doc: r.writers[0]!.doc }));
  for (const r of rooms) for (const c of r.all) c.destroy();
  const storageMismatches = withStorage ? await verifyStorage(dep, expected) : 0;
  for (const r of rooms) for (const c of r.all) c.doc.destroy();
  const notes: string[] = [];
  if (divergedRooms) notes.push(`${divergedRooms} rooms diverged`);
  if (lostEdits) notes.push(`${lostEdits} edits never reached a receiver`);
  if (storageMismatches) notes.push(`${storageMismatches} rooms reloaded from storage differ from the clients`);
  return { divergedRooms, lostEdits, storageChecked: withStorage, storageMismatches, passed: notes.length === 0, notes };
}

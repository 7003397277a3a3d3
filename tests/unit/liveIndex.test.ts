import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { liveIndex } from '../../server/collab/liveIndex';
import { struckBySender } from '../../server/collab/recordIndexes';
import type { StruckWords } from '../../shared/note/struckWords';
import { ClientLists } from '../../shared/note/clientLists';
import { seeded } from '../helpers/typist';

/**
 * The server's indexes of the note's record (`struck`, `carried`, `formatted`, late entries) take
 * each change of the map as it comes (server/collab/liveIndex.ts). Each case changes a real Y.Map
 * in many random transactions — sets, replacements that move an entry, deletes, several to one
 * key, changes arriving from another replica — and after each compares the kept index with one
 * built from the map's entries at that moment.
 */
type Entry = { client: number; clock: number; len: number; block: { client: number; clock: number } | null };

const place = (e: Entry) => e.block ?? e;
const lists = () => new ClientLists<Entry>(place, (e) => e.len);

/** Everything an index shows: each client's keys in clock order, the longest spans, and what `over` finds. */
function shown(index: ClientLists<Entry>, probes: [number, number, number][]): unknown {
  return {
    lists: [1, 2, 3].map((client) => index.of(client).map(([key, e]) => `${key}@${place(e).clock}`)),
    longest: [index.longest(), ...[1, 2, 3].map((c) => index.longest(c))],
    over: probes.map(([client, from, to]) => index.over(client, from, to).map(([key]) => key).sort()),
  };
}

function built(map: Y.Map<Entry>): ClientLists<Entry> {
  const fresh = lists();
  for (const [key, e] of map.entries()) fresh.add(key, e);
  return fresh;
}

function randomEntry(random: () => number): Entry {
  const n = (k: number) => Math.floor(random() * k);
  const client = 1 + n(3);
  return { client, clock: n(40), len: 1 + n(random() < 0.2 ? 30 : 4), block: random() < 0.3 ? { client: 1 + n(3), clock: n(40) } : null };
}

describe('a live index of a Y.Map', () => {
  it('stays equal to one built from the entries, through local and remote changes of every kind', () => {
    const random = seeded(17);
    const server = new Y.Doc();
    const other = new Y.Doc();
    server.on('update', (u: Uint8Array) => Y.applyUpdate(other, u, 'server'));
    other.on('update', (u: Uint8Array, origin: unknown) => origin === 'server' || Y.applyUpdate(server, u));
    const map = server.getMap<Entry>('struck');
    const index = liveIndex(map, 'lists', lists);
    const probes: [number, number, number][] = Array.from({ length: 12 }, () => [1 + Math.floor(random() * 3), Math.floor(random() * 40), Math.floor(random() * 40) + 1]);
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    const pick = () => keys[Math.floor(random() * keys.length)]!;
    for (let round = 0; round < 400; round++) {
      // A change from the other replica reaches the server as a remote update.
      const target = random() < 0.3 ? other.getMap<Entry>('struck') : map;
      target.doc!.transact(() => {
        for (let i = 1 + Math.floor(random() * 4); i > 0; i--) {
          if (random() < 0.3) target.delete(pick());
          else target.set(pick(), randomEntry(random));
        }
      });
      expect(shown(index, probes), `round ${round}`).toEqual(shown(built(map), probes));
    }
    expect(map.size).toBeGreaterThan(0);
  });

  it('asked for inside a transaction that already changed the map, is right once the transaction ends', () => {
    const doc = new Y.Doc();
    const map = doc.getMap<Entry>('struck');
    map.set('a', { client: 1, clock: 5, len: 2, block: null });
    doc.transact(() => {
      map.set('b', { client: 1, clock: 1, len: 3, block: null });
      map.delete('a');
      // Built from the entries as they are now: the changes above are then reported again.
      expect(liveIndex(map, 'mid', lists).of(1).map(([key]) => key)).toEqual(['b']);
      map.set('c', { client: 1, clock: 9, len: 1, block: null });
    });
    expect(liveIndex(map, 'mid', lists).of(1).map(([key]) => key)).toEqual(['b', 'c']);
    map.delete('b');
    expect(liveIndex(map, 'mid', lists).of(1).map(([key]) => key)).toEqual(['c']);
    expect(liveIndex(map, 'mid', lists).longest()).toBe(1);
  });

  it('asked for inside a transaction before it changes the map, is kept through it, not built again', () => {
    // The after-apply steps ask for `carried`'s index inside the server's transaction, then write
    // to it: built again after each such transaction, it cost every frame that moved words in
    // proportion to the map (attack, 2 Dec).
    const doc = new Y.Doc();
    const map = doc.getMap<Entry>('carried');
    for (let i = 0; i < 50; i++) map.set(`k${i}`, { client: 1, clock: i * 3, len: 2, block: null });
    let index: ClientLists<Entry> | null = null;
    for (let round = 0; round < 5; round++) {
      doc.transact(() => {
        const asked = liveIndex(map, 'in-transaction', lists);
        index ??= asked;
        expect(asked).toBe(index);
        map.delete(`k${round}`);
        map.set(`n${round}`, { client: 2, clock: round, len: 1, block: null });
      });
      expect(liveIndex(map, 'in-transaction', lists)).toBe(index);
      expect(shown(index!, [[1, 0, 200], [2, 0, 10]])).toEqual(shown(built(map), [[1, 0, 200], [2, 0, 10]]));
    }
  });

  it('finds the entries over a stretch, for entries that never overlap, as a full search does', () => {
    // Struck words and late entries: each character once. One long entry among many short ones
    // must not make a lookup read back over all of them (attack, 2 Dec), nor miss one.
    const random = seeded(5);
    const disjoint = new ClientLists<Entry>((e) => e, (e) => e.len, true);
    const all: Entry[] = [];
    for (let slot = 0; slot < 400; slot++) {
      if (random() < 0.3) continue;
      const e = { client: 1, clock: slot * 10, len: slot === 7 ? 2_000 : 1 + Math.floor(random() * 10), block: null };
      if (slot > 7 && slot < 207) continue; // the long entry's characters
      all.push(e);
      disjoint.add(`${e.client}:${e.clock}`, e);
    }
    for (let i = 0; i < 300; i++) {
      const from = Math.floor(random() * 4_100);
      const to = from + 1 + Math.floor(random() * 40);
      const expected = all.filter((e) => e.clock < to && e.clock + e.len > from).map((e) => `${e.client}:${e.clock}`);
      expect(disjoint.over(1, from, to).map(([key]) => key), `[${from}, ${to})`).toEqual(expected);
    }
  });

  it('says which therapists have struck words, in lines that stay or not, through changes of every kind', () => {
    // Only a sender with struck words can undo a deletion: the after-apply step reads no new line
    // for one otherwise (a paste of 25,000 lines spent ~50 ms there: paste bench, 5 Dec).
    const random = seeded(23);
    const doc = new Y.Doc();
    const struck = doc.getMap<StruckWords>('struck');
    const senders = struckBySender(struck);
    const people = ['a', 'b', 'c'];
    const entry = (): StruckWords => {
      const e = randomEntry(random);
      // Only the fields the index reads: who struck them, where, and how long.
      return { by: people[Math.floor(random() * 3)]!, client: e.client, clock: e.clock, text: 'x'.repeat(e.len), block: e.block } as unknown as StruckWords;
    };
    for (let round = 0; round < 300; round++) {
      doc.transact(() => {
        for (let i = 1 + Math.floor(random() * 3); i > 0; i--) {
          const key = `k${Math.floor(random() * 12)}`;
          if (random() < 0.35) struck.delete(key);
          else struck.set(key, entry());
        }
      });
      const expected = people.map((by) => [...struck.values()].some((e) => e.by === by));
      expect(people.map((by) => senders.has(by)), `round ${round}`).toEqual(expected);
    }
  });
});

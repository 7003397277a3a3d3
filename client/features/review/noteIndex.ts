/**
 * Positions in the rendered note. Every character the server sent has a Yjs id (its run's
 * client, and the run's clock plus its offset); the page also numbers characters in reading
 * order, so a passage (first to last character) can be found, highlighted and ordered.
 */
import type { ReviewBlock, ReviewRun } from '../../../shared/domain/review';

export interface YId {
  client: number;
  clock: number;
}

export interface NoteIndex {
  /** Reading-order index of each run's first character. */
  startOf: Map<ReviewRun, number>;
  runs: ReviewRun[];
  /** Reading-order index of the character with this Yjs id, or null when it is not in the note. */
  locate(id: YId): number | null;
}

export function indexNote(blocks: ReviewBlock[]): NoteIndex {
  const startOf = new Map<ReviewRun, number>();
  const runs: ReviewRun[] = [];
  let next = 0;
  const walk = (list: ReviewBlock[]) => {
    for (const block of list) {
      for (const run of block.runs) {
        startOf.set(run, next);
        runs.push(run);
        next += run.text.length;
      }
      walk(block.children);
    }
  };
  walk(blocks);
  const byClient = new Map<number, ReviewRun[]>();
  for (const run of runs) byClient.set(run.client, [...(byClient.get(run.client) ?? []), run]);
  return {
    startOf,
    runs,
    locate({ client, clock }) {
      const run = byClient.get(client)?.find((r) => clock >= r.clock && clock < r.clock + r.text.length);
      return run ? startOf.get(run)! + (clock - run.clock) : null;
    },
  };
}

/** A highlighted stretch of the note, by reading-order index (both ends included). */
export interface Passage {
  number: number;
  from: number;
  to: number;
}

/** A run cut where passages begin and end, so each piece is wholly inside or outside each passage. */
export interface RunPiece {
  text: string;
  /** Yjs clock of the piece's first character (same client as its run). */
  clock: number;
  /** Numbers of the passages that cover it. */
  passages: number[];
  /** Passages whose last character is this piece's last. */
  endsPassages: number[];
}

export function cutRun(run: ReviewRun, start: number, passages: Passage[]): RunPiece[] {
  const end = start + run.text.length;
  const cuts = new Set<number>([0, run.text.length]);
  for (const p of passages) {
    if (p.from > start && p.from < end) cuts.add(p.from - start);
    if (p.to + 1 > start && p.to + 1 < end) cuts.add(p.to + 1 - start);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces: RunPiece[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const from = sorted[i]!;
    const to = sorted[i + 1]!;
    const first = start + from;
    const last = start + to - 1;
    pieces.push({
      text: run.text.slice(from, to),
      clock: run.clock + from,
      passages: passages.filter((p) => p.from <= first && p.to >= last).map((p) => p.number),
      endsPassages: passages.filter((p) => p.to === last).map((p) => p.number),
    });
  }
  return pieces;
}

import type { StruckWords } from '../../shared/note/struckWords';
import type { CharId } from './readingOrder';
import type { DeletedRun } from './updateFacts';

/**
 * A piece of one writer's words an update deletes, or words struck before that it may write
 * again (`restore`: an undo), and where they read: after `before`; what reads on after them reads
 * on after any of `lasts`.
 */
export interface DeletedPiece {
  run: Omit<DeletedRun, 'earlier' | 'after' | 'mention' | 'inHeading' | 'unseen'>;
  clock: number;
  len: number;
  text: string;
  author: string | null | undefined;
  before: CharId | null;
  lasts: (CharId | null)[];
  mention: boolean;
  restore?: [key: string, entry: StruckWords];
  /** How many of its last characters the update's sender never saw (DeletedRun.unseen). */
  unseen?: number;
}

/**
 * The pieces so that each comes after the one it read on after: the update lists deleted runs by
 * client and clock, not as they read, and a line of both therapists' words split by one of them
 * ("the STOP skill" B's, " handout" A's, " and a short check-in." B's) had B's second piece looked
 * for before A's copy was found, so it was struck and its copy credited to A (walk, 1 Dec).
 */
export function inReadingOrder(pieces: DeletedPiece[]): DeletedPiece[] {
  const key = (c: CharId | null) => (c === null ? 'start' : `${c.client}:${c.clock}`);
  const lasts = new Set(pieces.flatMap((p) => p.lasts.map(key)));
  const next = new Map<string, DeletedPiece[]>();
  for (const p of pieces) {
    const list = next.get(key(p.before));
    if (list) list.push(p);
    else next.set(key(p.before), [p]);
  }
  const out: DeletedPiece[] = [];
  const seen = new Set<DeletedPiece>();
  const follow = (start: DeletedPiece) => {
    const stack = [start];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      out.push(p);
      stack.push(...p.lasts.flatMap((l) => next.get(key(l)) ?? []).reverse());
    }
  };
  for (const p of pieces) if (!lasts.has(key(p.before))) follow(p);
  for (const p of pieces) follow(p);
  return out;
}

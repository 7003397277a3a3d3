import type { ProcessNoteView } from '../../shared/domain/processNote';
import type { AtomicWrite, ProcessNoteRecord, Store } from '../persistence/ports';
import { presentProcessNote, processNoteView, readProcessNoteFacts, withStoredWrites, type ProcessNoteFacts } from './processNoteView';

/**
 * `deps` for one step on process notes (`note`; made by the step: none), and the view it answers
 * with. Its commit reads what the view is made of just before it stores the step, and the view is
 * that with the step's writes: read after the COMMIT, a failed read answered 503 "could not do this"
 * for an ask, a retention or a share that stood (fault test, 7 Dec), and a keeper who pressed
 * again was told their ask was waiting already. The read is at the version the step was judged
 * and stored at (processNoteAsks.ts judgedAtVersion): no other step on the notes came between.
 * A step that stored nothing answers with the view read as it answers.
 */
export function answeredAsStored<D extends { store: Store }>(deps: D, note?: ProcessNoteRecord): { deps: D; view: (p: ProcessNoteRecord, viewerId: string) => Promise<ProcessNoteView> } {
  let stored: ProcessNoteFacts | null = null;
  const commit = async (writes: readonly AtomicWrite[]): Promise<number[]> => {
    const of = note ?? writes.flatMap((w) => (w.kind === 'createProcessNote' ? [w.note] : []))[0];
    // Removed, the notes have no view to answer with (204).
    const removes = writes.some((w) => w.kind === 'processNote' && w.patch.removedAt != null);
    if (!of || removes) return deps.store.commit(writes);
    const facts = await readProcessNoteFacts(deps.store, of);
    const counts = await deps.store.commit(writes);
    stored = withStoredWrites(facts, of, writes);
    return counts;
  };
  return {
    deps: { ...deps, store: { ...deps.store, commit } },
    view: async (p, viewerId) => (stored ? processNoteView(stored, p, viewerId) : presentProcessNote(deps, p, viewerId)),
  };
}

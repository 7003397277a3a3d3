/**
 * Destroying a co-keeper's words takes both keepers, as sharing them does: the first keeper's
 * removal, or shorter retention, is an ask (audited; shown to both on the session page), and it is
 * done when every other keeper asks the same. A keeper alone (the other removed from the notes, made
 * an admin or deactivated) decides alone, and keeping them longer needs nobody's agreement. An asker
 * may withdraw their ask to remove them.
 */
import { audited } from '../audit/audited';
import { conflict } from '../domain/errors';
import type { ServiceDeps } from '../services/deps';
import type { ProcessNoteRecord } from '../persistence/ports';
import { askers, judgedAtVersion, otherKeepers, type AskKind } from './processNoteAsks';
import { removeProcessNote } from './processNotes';

type Deps = Pick<ServiceDeps, 'store' | 'collab' | 'access' | 'log'>;

/** Whether `to` keeps the notes for less time than `from` (null: until removed). */
const shorter = (from: number | null, to: number | null) => to !== null && (from === null || to < from);

/** Whether every keeper but `actorId` asked for this step (`retainDays` for a retention), or nobody else is asked. */
async function agreed(deps: Deps, note: ProcessNoteRecord, actorId: string, kind: AskKind, retainDays: number | null = null): Promise<boolean> {
  const [others, asked] = await Promise.all([otherKeepers(deps.store, note, actorId), askers(deps.store, note, kind, retainDays)]);
  return others.every((k) => asked.has(k));
}

/** What a keeper's press of Remove did: removed them, asked the others (`asked`), or nothing (their ask stood already). */
export type RemovalStep = 'removed' | 'asked' | 'waiting';

/** Removes the notes if every other keeper asked to, else asks them; judged and stored at one version of the notes (judgedAtVersion). */
export async function removeOrAsk(deps: Deps, read: ProcessNoteRecord, actorId: string): Promise<RemovalStep> {
  return judgedAtVersion(deps.store, read, async (note, commit) => {
    if (await agreed(deps, note, actorId, 'removal')) {
      await removeProcessNote(deps, note, actorId, commit);
      return 'removed';
    }
    if ((await askers(deps.store, note, 'removal')).has(actorId)) return 'waiting';
    await commit([audited({ actorId, action: 'process_note_removal_asked', sessionId: note.sessionId, detail: { processSessionId: note.processSessionId } })]);
    return 'asked';
  });
}

/**
 * Takes back `actorId`'s ask to remove the notes (audited): an ask could not be withdrawn, so a
 * keeper who had second thoughts could only hope the other never pressed (walk, 6 Dec). The other
 * keepers' asks stand as they were. Stored only if no step came meanwhile (judgedAtVersion): a
 * removal stored first leaves nothing to withdraw (404).
 */
export async function withdrawRemovalAsk(deps: Deps, read: ProcessNoteRecord, actorId: string): Promise<void> {
  await judgedAtVersion(deps.store, read, async (note, commit) => {
    if (!(await askers(deps.store, note, 'removal')).has(actorId)) {
      throw conflict('no_removal_ask', 'You have no ask to remove these process notes waiting (never asked, withdrawn, or answered since), so there is nothing to withdraw.');
    }
    await commit([audited({ actorId, action: 'process_note_removal_withdrawn', sessionId: note.sessionId, detail: { processSessionId: note.processSessionId } })]);
  });
}

/** Sets the notes' retention if it keeps them as long or longer, or the other keeper asked for it; else asks them. The notes as they are now. */
export async function retainOrAsk(deps: Deps, read: ProcessNoteRecord, actorId: string, retainDays: number | null): Promise<ProcessNoteRecord> {
  return judgedAtVersion(deps.store, read, async (note, commit) => {
    const detail = { processSessionId: note.processSessionId, retainDays };
    if (!shorter(note.retainDays, retainDays) || (await agreed(deps, note, actorId, 'retention', retainDays))) {
      await commit([
        { kind: 'processNote', processSessionId: note.processSessionId, patch: { retainDays } },
        audited({ actorId, action: 'process_note_retention_changed', sessionId: note.sessionId, detail }),
      ]);
      return { ...note, retainDays };
    }
    if (!(await askers(deps.store, note, 'retention', retainDays)).has(actorId)) await commit([audited({ actorId, action: 'process_note_retention_asked', sessionId: note.sessionId, detail })]);
    return note;
  });
}

import { blindAnchorSchema } from '../../shared/domain/blind';
import { isLocked } from '../../shared/domain/lifecycle';
import { observationSchema } from '../../shared/domain/observation';
import { lineLabel } from '../../shared/note/lineWords';
import type { ServiceDeps } from '../services/deps';
import type { SessionRecord } from '../persistence/ports';
import { mergePrivate, type PrivateItem } from './mergePrivate';

export type RevealDeps = Pick<ServiceDeps, 'store' | 'collab' | 'access' | 'log' | 'blind'>;

/**
 * Merges every private observation of a blind session into the note, once: the first caller to
 * mark the session revealed (compare-and-set in storage, so two processes cannot both merge) does
 * it; later callers get null. If the merge fails the mark is taken back, so it can be tried again.
 * Recorded in the audit log with what triggered it and how many observations each author had.
 */
export async function revealBlind(deps: RevealDeps, session: SessionRecord, actorId: string, trigger: 'both_pressed' | 'session_ended'): Promise<{ merged: number; unanchored: number } | null> {
  const setting = await deps.store.learning.blindSetting(session.id);
  if (!setting?.enabled || setting.revealedAt !== null) return null;
  const now = Date.now();
  if (!(await deps.store.learning.markRevealed(session.id, now))) return null;
  deps.blind.set(session.id, false);
  try {
    const tagNames = new Map((await deps.store.tags.list()).map((t) => [t.id, t.name]));
    const stored = await deps.store.learning.blindObservations(session.id);
    const items: PrivateItem[] = stored.map((o) => {
      const record = observationSchema.parse(JSON.parse(o.record));
      return {
        record,
        anchor: blindAnchorSchema.parse(JSON.parse(o.anchor)),
        stamp: { at: o.receivedAt, offsetMs: o.offsetMs, late: o.late },
        label: lineLabel(record.tags.map((t) => tagNames.get(t) ?? t), record.member),
      };
    });
    const result = isLocked(session.status) ? { merged: 0, unanchored: 0 } : await deps.collab.withNote(session, (note) => {
      let outcome = { merged: 0, unanchored: 0 };
      note.transactLocal(() => {
        outcome = mergePrivate(note.doc, items);
      });
      return outcome;
    });
    const byAuthor: Record<string, number> = {};
    for (const o of stored) byAuthor[o.authorId] = (byAuthor[o.authorId] ?? 0) + 1;
    // Other processes learn of the reveal when their copies reconnect (the same way a lifecycle step travels).
    deps.access.sessionChanged(session.id, 'blind observations revealed');
    await deps.store.audit.append({ at: Date.now(), actorId, action: 'blind_revealed', sessionId: session.id, detail: { trigger, ...result, byAuthor } });
    return result;
  } catch (err) {
    await deps.store.learning.putBlindSetting({ ...setting, revealedAt: null });
    deps.blind.set(session.id, true);
    throw err;
  }
}

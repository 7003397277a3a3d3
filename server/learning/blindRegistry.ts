import { OBSERVATIONS, RESPONSES } from '../../shared/ydoc/sessionDoc';
import type { WriteGuard } from '../collab/writeGate';
import type { LearningStore } from '../persistence/ports';

/**
 * Which sessions are blind and not yet revealed, known synchronously to the write gate. Read from
 * storage at every websocket upgrade (before the socket opens) and set by the blind routes, so a
 * process knows it before any of its clients can write. Another process that revealed is learnt
 * at the next upgrade; until then this one refuses observations in the note (it errs towards
 * privacy, never towards a leak).
 */
export class BlindRegistry {
  private readonly active = new Map<string, boolean>();

  constructor(private readonly store: Pick<LearningStore, 'blindSetting'>) {}

  async refresh(sessionId: string): Promise<void> {
    const setting = await this.store.blindSetting(sessionId);
    this.set(sessionId, setting !== null && setting.enabled && setting.revealedAt === null);
  }

  set(sessionId: string, privateUntilReveal: boolean): void {
    if (privateUntilReveal) this.active.set(sessionId, true);
    else this.active.delete(sessionId);
  }

  /** Whether observations in this session are private to their author for now. */
  isPrivate(sessionId: string): boolean {
    return this.active.get(sessionId) === true;
  }
}

/**
 * In a blind session before the reveal nothing enters the note's `observations` or `responses`: a
 * record there would be sent to the co-therapist with the rest of the document. Private
 * observations go to the server's private store instead (`POST …/blind/observations`).
 */
export function blindGuard(registry: BlindRegistry): WriteGuard {
  return ({ note, facts }) => {
    if (!registry.isPrivate(note.session.id)) return null;
    const shared = facts.mapWrites.some((w) => w.map === OBSERVATIONS || w.map === RESPONSES);
    return shared ? { code: 'blind_private', message: 'This session is blind: observations stay private to their author until the reveal, so they cannot be written into the shared note yet.' } : null;
  };
}

import type { KeeperAskView, ProcessNoteView } from '../../../shared/domain/processNote';

const list = new Intl.ListFormat('en', { type: 'conjunction' });

/** Names in a sentence: "Bea Cotherapist and Cy Third". */
export const inWords = (names: readonly string[]): string => list.format(names);

/**
 * Whom an ask of the viewer's still waits for, in words: "your co-therapist" while they are the one
 * other keeper, else by name (with three keepers it said "your co-therapist": walk, 6 Dec).
 */
export function othersAgree(note: Pick<ProcessNoteView, 'otherKeepers'>, ask: KeeperAskView): string {
  if (note.otherKeepers.length <= 1) return 'your co-therapist agrees';
  return `${inWords(ask.waitingFor)} ${ask.waitingFor.length === 1 ? 'agrees' : 'agree'}`;
}

/** Whose agreement an ask of another keeper still waits for, the viewer's among them: "you", "you and Cy Third". */
export function youAndOthers(ask: KeeperAskView): string {
  return inWords(['you', ...ask.waitingFor]);
}

/** Whom the first press of a step asks, in words: "Your co-therapist is", "Bea Cotherapist and Cy Third are". */
export function askedKeepers(note: Pick<ProcessNoteView, 'otherKeepers'>): string {
  return note.otherKeepers.length <= 1 ? 'Your co-therapist is' : `${inWords(note.otherKeepers)} are`;
}

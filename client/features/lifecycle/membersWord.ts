import type { SessionKind } from '../../../shared/domain/session';

/**
 * What the people a session's member labels stand for are called. A couple or a family session
 * has several people in the room too, and an observation may say which of them it concerns; the
 * page called them "Group members" there (walk, 6 Dec). An individual session has no labels.
 */
export function membersWord(kind: SessionKind): string {
  if (kind === 'couple') return 'partners';
  if (kind === 'family') return 'family members';
  return 'group members';
}

/** The same, as a heading. */
export const membersHeading = (kind: SessionKind): string => {
  const word = membersWord(kind);
  return word.charAt(0).toUpperCase() + word.slice(1);
};

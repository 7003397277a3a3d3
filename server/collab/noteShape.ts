import { childProblem, markProblem, NOTE_NODES, nodeAttributeProblem } from '../../shared/note/noteSchema';
import { NOTE_FIELD, OBSERVATION_MARK, WATCHED_MAPS } from '../../shared/ydoc/sessionDoc';
import type { NoteShape } from './updateFacts';

/** The session note as the update gate checks it: Tiptap's schema and the watched maps. */
export const noteShape: NoteShape = {
  watchedMaps: WATCHED_MAPS,
  textRoot: NOTE_FIELD,
  attributeProblem: nodeAttributeProblem,
  markProblem,
  observationMark: OBSERVATION_MARK,
  isNode: (name) => Object.hasOwn(NOTE_NODES, name),
  childProblem,
};

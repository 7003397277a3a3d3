/**
 * The look of each observation's mark in the editor, from its record: an underline in its first
 * tag's colour (on a tagged line, under its marker and the words after it), and a soft highlight
 * while it is a flag for me that I have not answered. A small
 * generated stylesheet, so the marks themselves carry only an id and nothing re-renders the note.
 */
import type { TagView } from '../../../shared/domain/tag';
import { isFlagFor } from './observationModel';
import type { NoteObservations } from './useNoteObservations';

interface ObservationStylesProps {
  notes: NoteObservations;
  tags: Map<string, TagView>;
  me: string;
  isTherapist: boolean;
}

export function ObservationStyles({ notes, tags, me, isTherapist }: ObservationStylesProps) {
  const rules = notes.observations.map((o) => {
    const id = CSS.escape(o.id);
    // A tagged line: its marker and the words written after it read as one observation.
    const selector = `.note__body [data-observation="${id}"]${o.kind === 'line' ? `,.note__body [data-observation-words="${id}"]` : ''}`;
    const color = tags.get(o.tags[0] ?? '')?.color ?? '#6b7280';
    const forMe = isTherapist && isFlagFor(o, me) && !notes.responses.has(o.id);
    return `${selector}{--obs-color:${color};${forMe ? 'background-color:var(--flag-soft);' : ''}}`;
  });
  return <style data-testid="observation-styles">{rules.join('\n')}</style>;
}

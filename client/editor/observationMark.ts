/**
 * The Tiptap mark that ties a stretch of the note to an observation record (by id). Its look
 * (the tag's colour, a soft highlight on flags for me) comes from `ObservationStyles`, which
 * knows the records; the mark itself carries nothing but the id.
 */
import { Mark } from '@tiptap/core';
import { OBSERVATION_MARK } from '../../shared/ydoc/sessionDoc';

export const ObservationMark = Mark.create({
  name: OBSERVATION_MARK,
  // Typing at either end of a tagged span writes plain text: a tag covers what was tagged.
  inclusive: false,
  // One observation per character (the default): the stored attribute key stays `observation`.

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-observation'),
        renderHTML: (attrs) => (typeof attrs.id === 'string' ? { 'data-observation': attrs.id } : {}),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'span[data-observation]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return ['span', { ...HTMLAttributes, class: 'observation' }, 0];
  },
});

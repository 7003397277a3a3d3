/**
 * The Tiptap mark that ties a stretch of the note to an observation record (by id). Its look
 * (the tag's colour, a soft highlight on flags for me) comes from `ObservationStyles`, which
 * knows the records; the mark itself carries nothing but the id.
 */
import { Mark } from '@tiptap/core';
import { Fragment, Slice, type MarkType, type Node as PMNode } from '@tiptap/pm/model';
import { Plugin } from '@tiptap/pm/state';
import { OBSERVATION_MARK } from '../../shared/ydoc/sessionDoc';

/** `content` without the marks of `type` whose observation is one of `ids`. */
function withoutObservations(content: Fragment, type: MarkType, ids: ReadonlySet<string>): Fragment {
  const kept: PMNode[] = [];
  content.forEach((node) => {
    kept.push(
      node.isText
        ? node.mark(node.marks.filter((m) => !(m.type === type && ids.has(m.attrs.id as string))))
        : node.copy(withoutObservations(node.content, type, ids)),
    );
  });
  return Fragment.from(kept);
}

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

  addProseMirrorPlugins() {
    const type = this.type;
    // A copy pastes the words without the tag: an observation is made once, where it was made.
    // Pasted while its words are still in the note (a copy, not a cut), or dropped as a copy, the
    // mark would put one observation in two places, and deleting the original then gave the
    // co-therapist's observation to the copy (walk, 3 Dec). A cut or a move still carries it.
    const copiesPlain = new Plugin({
      props: {
        transformPasted(slice, view) {
          if (view.dragging?.move) return slice;
          const inNote = new Set<string>();
          view.state.doc.descendants((node) => {
            for (const m of node.marks) if (m.type === type && typeof m.attrs.id === 'string') inNote.add(m.attrs.id);
          });
          return inNote.size === 0 ? slice : new Slice(withoutObservations(slice.content, type, inNote), slice.openStart, slice.openEnd);
        },
      },
    });
    return [copiesPlain];
  },
});

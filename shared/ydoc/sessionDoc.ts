/** Name of the Y.XmlFragment that holds the note's rich text (Tiptap's Collaboration field). */
export const NOTE_FIELD = 'note';

import { Extension } from '@tiptap/core';
import { Plugin } from '@tiptap/pm/state';

/** What separates a pasted table row's cells on the line the row becomes. */
export const CELL_SEPARATOR = ' | ';

/**
 * Rewrites HTML pasted from a word processor into what the note holds: the note has no tables,
 * so each table row becomes a line of its cells with CELL_SEPARATOR between them (ProseMirror
 * parsed a row's cells into one run of words: "M1presentlate"), and its one heading level (the
 * toolbar's, and the templates' sections) takes every pasted heading (an h1 stayed an h1, larger
 * than the sections it sat among). Walk, 3 Dec (low). `doc` is a detached document: nothing runs.
 */
export function notePastedHtml(html: string): string {
  if (!/<(table|h[1-6])\b/i.test(html)) return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const table of Array.from(doc.querySelectorAll('table'))) {
    // The outermost table's rows only: a table inside a cell is that cell's text.
    if (table.parentElement?.closest('table')) continue;
    const lines = Array.from(table.querySelectorAll('tr'))
      .filter((row) => row.closest('table') === table)
      .map((row) => Array.from(row.children, (cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()))
      .filter((cells) => cells.some((c) => c !== ''))
      .map((cells) => Object.assign(doc.createElement('p'), { textContent: cells.join(CELL_SEPARATOR) }));
    table.replaceWith(...lines);
  }
  for (const heading of Array.from(doc.querySelectorAll('h1, h3, h4, h5, h6'))) {
    const h2 = doc.createElement('h2');
    h2.append(...Array.from(heading.childNodes));
    heading.replaceWith(h2);
  }
  return doc.body.innerHTML;
}

/** The editor's side of notePastedHtml. */
export const PastedDocuments = Extension.create({
  name: 'pastedDocuments',
  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: notePastedHtml } })];
  },
});

import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { CELL_SEPARATOR, PastedDocuments } from '../../client/editor/pastedDocuments';

/** Word's clipboard HTML, as it wraps a table and headings (trimmed of its styles). */
const fromWord = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><!--StartFragment-->
<h1>Group session 12</h1>
<table class="MsoTableGrid"><tbody>
<tr><td><p>Member</p></td><td><p>Attendance</p></td><td><p>Note</p></td></tr>
<tr><td><p>M1</p></td><td><p>present</p></td><td><p>arrived <b>on time</b></p></td></tr>
<tr><td><p></p></td><td><p> </p></td><td></td></tr>
<tr><td><p>M2</p></td><td><p>late</p></td><td><table><tr><td>10 min</td><td>bus</td></tr></table></td></tr>
</tbody></table>
<h3>Themes</h3><p>Loss, and the holidays.</p>
<!--EndFragment--></body></html>`;

let editor: Editor | null = null;
afterEach(() => editor?.destroy());

/** jsdom has no ClipboardEvent, which ProseMirror makes when it is not given one. */
const paste = (e: Editor, html: string) => e.view.pasteHTML(html, new Event('paste') as ClipboardEvent);

const blocks = (e: Editor) => e.state.doc.content.content.map((b) => [b.type.name, b.attrs.level ?? null, b.textContent]);

describe('pasting a document from a word processor', () => {
  it('makes each table row a line of its cells, and every heading the note’s heading', () => {
    editor = new Editor({ extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), PastedDocuments] });
    paste(editor, fromWord);
    expect(blocks(editor)).toEqual([
      ['heading', 2, 'Group session 12'],
      ['paragraph', null, ['Member', 'Attendance', 'Note'].join(CELL_SEPARATOR)],
      ['paragraph', null, ['M1', 'present', 'arrived on time'].join(CELL_SEPARATOR)],
      ['paragraph', null, ['M2', 'late', '10 minbus'].join(CELL_SEPARATOR)],
      ['heading', 2, 'Themes'],
      ['paragraph', null, 'Loss, and the holidays.'],
    ]);
  });

  it('leaves HTML without tables or other headings as it was', () => {
    editor = new Editor({ extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), PastedDocuments] });
    paste(editor, '<h2>Plan</h2><ul><li><p>Next week: <em>role play</em></p></li></ul>');
    expect(blocks(editor)).toEqual([
      ['heading', 2, 'Plan'],
      ['bulletList', null, 'Next week: role play'],
    ]);
  });
});

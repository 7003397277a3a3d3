/**
 * The note editor: Tiptap bound to the session's Y.Doc, with the co-therapists' carets.
 * It only renders; the document's lifetime belongs to `useCollabDoc`.
 */
import { useEffect } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { noteExtensions } from './extensions';
import { EditorToolbar } from './toolbar/EditorToolbar';

interface SessionEditorProps {
  doc: Y.Doc;
  provider: WebsocketProvider;
  user: { name: string; color: string };
  canWrite: boolean;
}

export function SessionEditor({ doc, provider, user, canWrite }: SessionEditorProps) {
  const editor = useEditor(
    {
      extensions: noteExtensions(doc, provider, user),
      editable: canWrite,
      editorProps: {
        attributes: { class: 'note-editor', 'aria-label': 'Session note', spellcheck: 'true' },
      },
    },
    // The user is only the caret's first label; a new doc or provider needs a new editor.
    [doc, provider],
  );

  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable !== canWrite) editor.setEditable(canWrite);
  }, [editor, canWrite]);

  if (!editor) return null;
  return (
    <div className={`note${canWrite ? '' : ' note--readonly'}`}>
      {/* Formatting means nothing to someone who cannot write. */}
      {canWrite && <EditorToolbar editor={editor} />}
      <EditorContent editor={editor} className="note__body" />
    </div>
  );
}

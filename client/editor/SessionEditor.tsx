/**
 * The note editor: Tiptap bound to the session's Y.Doc, with the co-therapists' carets.
 * It only renders; the document's lifetime belongs to `useCollabDoc`.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { Editor } from '@tiptap/core';
import { EditorContent, useEditor } from '@tiptap/react';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { noteExtensions } from './extensions';
import type { EditSizeLimit } from './tooLargeEdits';
import { EditorToolbar } from './toolbar/EditorToolbar';

interface SessionEditorProps {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Whether a character is one of this device's offline words the connection is watching (CollabStatus). */
  isOffline(id: Y.ID): boolean;
  /** The server's limit on one change (CollabStatus). */
  editLimit: EditSizeLimit;
  user: { name: string; color: string };
  canWrite: boolean;
  /** The session's group-member labels, which `@` offers as mentions. */
  groupMembers: readonly string[];
  /** Told about the editor once it exists (and null when it goes), for the page's own commands. */
  onEditor?(editor: Editor | null): void;
  /** Extra toolbar buttons (tagging, help) after the formatting ones. */
  toolbarExtras?: ReactNode;
}

export function SessionEditor({ doc, provider, isOffline, editLimit, user, canWrite, groupMembers, onEditor, toolbarExtras }: SessionEditorProps) {
  // Read when `@` is typed: the labels may change while the editor lives.
  const members = useRef(groupMembers);
  members.current = groupMembers;
  const editor = useEditor(
    {
      extensions: noteExtensions(doc, provider, user, () => members.current, isOffline, editLimit),
      editable: canWrite,
      editorProps: {
        attributes: { class: 'note-editor', role: 'textbox', 'aria-multiline': 'true', 'aria-label': 'Session note', spellcheck: 'true' },
      },
    },
    // The user is only the caret's first label; a new doc or provider needs a new editor.
    [doc, provider],
  );

  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable !== canWrite) editor.setEditable(canWrite);
  }, [editor, canWrite]);

  useEffect(() => {
    if (!editor || !onEditor) return;
    onEditor(editor);
    return () => onEditor(null);
  }, [editor, onEditor]);

  if (!editor) return null;
  return (
    <div className={`note${canWrite ? '' : ' note--readonly'}`}>
      {/* Formatting means nothing to someone who cannot write. */}
      {canWrite ? <EditorToolbar editor={editor}>{toolbarExtras}</EditorToolbar> : toolbarExtras && <div className="toolbar">{toolbarExtras}</div>}
      <EditorContent editor={editor} className="note__body" />
    </div>
  );
}

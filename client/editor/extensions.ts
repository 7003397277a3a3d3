import type { Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { CaretBeforeKeys } from './caretBeforeKeys';
import { CaretLabels } from './caretLabels';
import { KeyboardEntry } from './keyboardEntry';
import { LateEntries } from './lateEntries';
import { LineWords } from './lineWords';
import { SelectionBeforeRemote } from './selectionBeforeRemote';
import { SelectionAcrossRemoteEdits } from './selectionAcrossRemoteEdits';
import { ShownWords } from './shownWords';
import { TextInNewLines } from './textInNewLines';
import { TypedAtCaret } from './typedAtCaret';
import { CaretOnRemoteEdits } from './caretOnRemoteEdits';
import { StoredMarksAcrossRemoteEdits } from './storedMarksAcrossRemoteEdits';
import { memberMention } from './memberMention';
import { ObservationMark } from './observationMark';
import { PastedDocuments } from './pastedDocuments';
import { NoteLink, SafeLinks } from './safeLinks';
import { TooLargeEdits, type EditSizeLimit } from './tooLargeEdits';
import { UndoOwnSteps } from './undoOwnSteps';

/**
 * The editor's extensions for one session's note. `members`: the session's group-member labels
 * now, which `@` offers (they can change while the note is open). `isOffline`: whether a character
 * is one of this device's offline words that the connection writes again if the co-therapist
 * removed their line (client/collab/offlineWords.ts), which the caret then leaves alone.
 * `editLimit`: the server's limit on one change, which the editor checks a change against.
 */
export function noteExtensions(doc: Y.Doc, provider: WebsocketProvider, user: { name: string; color: string }, members: () => readonly string[], isOffline: (id: Y.ID) => boolean = () => false, editLimit: EditSizeLimit | null = null): Extensions {
  const carets = new CaretLabels(provider.awareness);
  return [
    StarterKit.configure({
      // Collaboration brings its own undo, which only undoes this person's edits.
      undoRedo: false,
      // TrailingNode appends a paragraph on its own; done by every client at once (or by a
      // read-only one) it would write edits nobody typed.
      trailingNode: false,
      link: false,
    }),
    CaretBeforeKeys,
    KeyboardEntry,
    TooLargeEdits.configure({ limit: editLimit }),
    NoteLink,
    SafeLinks,
    PastedDocuments,
    ObservationMark,
    memberMention(members),
    LineWords.configure({ doc }),
    LateEntries.configure({ doc }),
    SelectionBeforeRemote.configure({ doc }),
    ShownWords,
    // After SelectionBeforeRemote: the caret it holds is the one the page has just taken.
    CaretOnRemoteEdits.configure({ doc, isOffline }),
    SelectionAcrossRemoteEdits,
    StoredMarksAcrossRemoteEdits,
    TypedAtCaret.configure({ doc }),
    Collaboration.configure({ document: doc, field: NOTE_FIELD }),
    TextInNewLines.configure({ doc }),
    UndoOwnSteps,
    CollaborationCaret.configure({ provider, user, render: carets.render }),
    carets.extension(),
  ];
}

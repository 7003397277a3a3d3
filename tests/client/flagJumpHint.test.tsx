import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Observation } from '../../shared/domain/observation';
import { ObservationMark } from '../../client/editor/observationMark';
import { useFlagActions } from '../../client/features/observations/useFlagActions';
import type { NoteObservations } from '../../client/features/observations/useNoteObservations';

const ME = '00000000-0000-4000-8000-00000000000a';
const DEV = '00000000-0000-4000-8000-00000000000b';
const FLAG = '00000000-0000-4000-8000-000000000001';

const editors: Editor[] = [];
afterEach(() => {
  cleanup();
  for (const e of editors.splice(0)) e.destroy();
  vi.unstubAllGlobals();
});

/** A screen that does (a phone) or does not (a desk) answer the touch-screen query. */
const screenIs = (touch: boolean) => vi.stubGlobal('matchMedia', (query: string) => ({ matches: touch, media: query, addEventListener() {}, removeEventListener() {} }));

/** Dev's flag for me on "Father looked at his phone."; what the flag counter says once it jumps there. */
function jumpToFlag(): string | null {
  const editor = new Editor({ element: document.body.appendChild(document.createElement('div')), extensions: [StarterKit, ObservationMark] });
  editors.push(editor);
  editor.commands.setContent(`<p><span data-observation="${FLAG}">Father looked at his phone.</span></p>`);
  const flag: Observation = { id: FLAG, tags: ['nonverbal'], authorId: DEV, createdAt: 1, kind: 'span', member: null, forCoTherapist: true };
  const notes: NoteObservations = { observations: [flag], receivedAt: new Map(), byId: new Map([[FLAG, flag]]), responses: new Map(), extents: new Map() } as NoteObservations;
  const { result } = renderHook(() => useFlagActions({ editor, doc: null, me: ME, notes, canAnswer: true }));
  act(() => {
    result.current.jumpNext();
  });
  return result.current.message;
}

// A walk (6 Dec, phone): after the flag counter took her to a flag, the line beside it said
// "Alt+M “I missed that”, Alt+S “I saw it”": keys a phone has not, while the bar by the words gives the answers.
describe('the flag counter’s line after a jump', () => {
  it('points to the bar by the words on a touch screen, naming no keys', () => {
    screenIs(true);
    const message = jumpToFlag();
    expect(message).toBe('Flag 1 of 1: answer it in the bar by the words.');
  });

  it('names the keys that answer where there is a keyboard', () => {
    screenIs(false);
    expect(jumpToFlag()).toMatch(/^Flag 1 of 1: (Alt|⌥)\+M “I missed that”, (Alt|⌥)\+S “I saw it”\.$/);
  });
});

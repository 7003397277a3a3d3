import { useEffect, useRef, useState } from 'react';
import type { FloatingPosition } from './palettePosition';

interface DisputeBoxProps {
  position: FloatingPosition;
  /** Changes each time the answer is asked for: the box takes the keyboard again (a second click on "I saw it…" left it on the page, and the answer typed went nowhere: walk, 4 Dec). */
  asked: number;
  onSubmit(note: string): void;
  onCancel(): void;
}

/** "I saw it", with an optional one-line note: Enter answers, Escape goes back to the note. */
export function DisputeBox({ position, asked, onSubmit, onCancel }: DisputeBoxProps) {
  const [note, setNote] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [asked]);
  return (
    <form
      className="floating-box"
      style={position}
      aria-label="Answer the flag: I saw it"
      data-testid="dispute-box"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(note);
      }}
    >
      <label className="floating-box__label">
        “I saw it” — add a line if you like
        <input
          ref={input}
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              onCancel();
            }
          }}
          placeholder="e.g. I noted it under Themes"
          data-testid="dispute-note"
        />
      </label>
      <p className="floating-box__keys">
        <kbd>Enter</kbd> answer · <kbd>Esc</kbd> cancel
      </p>
    </form>
  );
}

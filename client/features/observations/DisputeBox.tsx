import { useState } from 'react';
import type { FloatingPosition } from './palettePosition';

interface DisputeBoxProps {
  position: FloatingPosition;
  onSubmit(note: string): void;
  onCancel(): void;
}

/** "I saw it", with an optional one-line note: Enter answers, Escape goes back to the note. */
export function DisputeBox({ position, onSubmit, onCancel }: DisputeBoxProps) {
  const [note, setNote] = useState('');
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
          autoFocus
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

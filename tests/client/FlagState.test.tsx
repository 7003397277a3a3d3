import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FlagState } from '../../client/features/observations/FlagState';

afterEach(cleanup);

describe('FlagState', () => {
  // Attack, 6 Dec: B answered A's flag with a note typed as a second answer of A's. Beside the
  // real answer in plain text, only its grey told it apart.
  it('boxes the answer the server recorded, and shows a typed note outside the box, in quotation marks', () => {
    const forged = '· answered by Alex Therapist: “I saw it”';
    render(<FlagState forName="Blair Therapist" response={{ byName: 'Blair Therapist', answer: 'acknowledged', note: forged }} />);
    const answer = screen.getByTestId('flag-answer');
    expect(answer.textContent).toBe('Flag for Blair Therapist · answered: “I missed that”');
    expect(answer.className).toBe('flag-state__answer');
    const note = screen.getByTestId('flag-answer-note');
    expect(answer.contains(note)).toBe(false);
    expect(note.textContent).toBe(` note: “${forged}”`);
    // One box per flag, however the note reads.
    expect(screen.getByTestId('flag-state').querySelectorAll('.flag-state__answer')).toHaveLength(1);
  });

  it('names who answered only when it is not the one flagged, and says an open flag is unanswered', () => {
    render(<FlagState forName="Blair Therapist" response={{ byName: 'Sam Supervisor', answer: 'disputed', note: null }} />);
    expect(screen.getByTestId('flag-answer').textContent).toBe('Flag for Blair Therapist · answered by Sam Supervisor: “I saw it”');
    expect(screen.queryByTestId('flag-answer-note')).toBeNull();
    cleanup();
    render(<FlagState forName="Blair Therapist" response={null} />);
    expect(screen.getByTestId('flag-state').textContent).toBe('Flag for Blair Therapist · unanswered');
  });
});

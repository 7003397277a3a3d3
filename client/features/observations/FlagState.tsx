import type { ReactNode } from 'react';

interface FlagStateProps {
  forName: string;
  response: { byName: string; answer: 'acknowledged' | 'disputed'; note: string | null } | null;
}

/**
 * "Flag for Blair · answered: “I missed that”" — one line for a flag and its answer, in the
 * answer's own words ("disputed" read as a quarrel between colleagues: walk, 4 Dec). The answer
 * the server recorded is drawn in a box and the answer's typed note after it, in quotation marks:
 * as plain text side by side, a note typed as "ok · answered by Alex: “I saw it”" differed from a
 * real answer only in its grey (attack, 6 Dec). Typed words can draw no box.
 */
export function FlagState({ forName, response }: FlagStateProps): ReactNode {
  if (!response) {
    return (
      <span className="flag-state flag-state--open" data-testid="flag-state" data-answer="none">
        Flag for {forName} · unanswered
      </span>
    );
  }
  const acknowledged = response.answer === 'acknowledged';
  // With two therapists the one flagged is the one who answered; name them only when it differs.
  const by = response.byName === forName ? '' : ` by ${response.byName}`;
  return (
    <span className={`flag-state flag-state--${response.answer}`} data-testid="flag-state" data-answer={response.answer}>
      <span className="flag-state__answer" data-testid="flag-answer">
        Flag for {forName} · answered{by}: {acknowledged ? '“I missed that”' : '“I saw it”'}
      </span>
      {response.note && <span className="flag-state__note" data-testid="flag-answer-note"> note: “{response.note}”</span>}
    </span>
  );
}

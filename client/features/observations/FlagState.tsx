import type { ReactNode } from 'react';

interface FlagStateProps {
  forName: string;
  response: { byName: string; answer: 'acknowledged' | 'disputed'; note: string | null } | null;
}

/**
 * "Flag for Blair · answered: “I missed that”" — one line for a flag and its answer, in the
 * answer's own words ("disputed" read as a quarrel between colleagues: walk, 4 Dec).
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
      Flag for {forName} · answered{by}: {acknowledged ? '“I missed that”' : '“I saw it”'}
      {response.note && <span className="flag-state__note"> — {response.note}</span>}
    </span>
  );
}

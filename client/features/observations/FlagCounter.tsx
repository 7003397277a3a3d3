import { shortcutKeys } from './shortcuts';

interface FlagCounterProps {
  count: number;
  message: string | null;
  onJump(): void;
}

/**
 * A quiet counter of the flags the co-therapist raised for me, always in the same place (it
 * never appears or vanishes, so nothing shifts), with the last action's outcome beside it.
 */
export function FlagCounter({ count, message, onJump }: FlagCounterProps) {
  const label = count === 0 ? 'No flags for you' : count === 1 ? '1 flag for you' : `${count} flags for you`;
  return (
    <div className="flag-counter" data-testid="flag-counter-area">
      <button
        type="button"
        className={`flag-counter__count${count > 0 ? ' flag-counter__count--some' : ''}`}
        onClick={onJump}
        disabled={count === 0}
        title={`Jump to the next flag (${shortcutKeys('nextFlag')})`}
        aria-live="polite"
        data-testid="flag-counter"
        data-count={count}
      >
        {label}
      </button>
      <span className="flag-counter__message" role="status" data-testid="flag-message">
        {message}
      </span>
    </div>
  );
}

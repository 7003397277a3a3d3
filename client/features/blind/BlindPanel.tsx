import type { Editor } from '@tiptap/core';
import { formatDateTime } from '../../format';
import { Link } from '../../router';
import { TagChips } from '../observations/TagChips';
import type { BlindMode } from './useBlind';
import { usePrivateLineWords } from './usePrivateMarks';

interface BlindPanelProps {
  sessionId: string;
  blind: BlindMode;
  isTherapist: boolean;
  me: string;
  coTherapist: string | null;
  /**
   * The note's editor: the words after each of my private line tags are read from it (the server
   * has none for a line). Read here, not in the workspace: each key typed in such a line changes
   * them, and only this panel shows them.
   */
  editor: Editor | null;
}

/**
 * Blind mode on the session page: the choice before the session starts; during it, my private
 * observations and Reveal; after the reveal, where to compare.
 */
export function BlindPanel({ sessionId, blind, isTherapist, me, coTherapist, editor }: BlindPanelProps) {
  const lineWords = usePrivateLineWords(editor, blind.mine);
  const { state } = blind;
  if (!state || (!state.enabled && !(state.canChange && isTherapist && coTherapist))) return null;
  const pressedByMe = state.revealRequests.some((r) => r.accountId === me);
  return (
    <section className="panel blind-panel" aria-labelledby="blind-title" data-testid="blind-panel">
      <h2 className="panel__title" id="blind-title">
        {state.enabled ? 'Blind session' : 'Observe blind?'}
      </h2>
      {state.canChange && isTherapist && (
        <label className="blind-panel__choice">
          <input type="checkbox" checked={blind.enabledShown} disabled={blind.isPressing} onChange={(e) => void blind.setEnabled(e.target.checked)} data-testid="blind-toggle" />
          <span>Each of us observes privately until we reveal (chosen before the session starts)</span>
          {blind.isSaving && (
            <span className="muted" role="status" data-testid="blind-saving">
              {' '}
              Saving…
            </span>
          )}
        </label>
      )}
      {state.enabled && state.revealedAt === null && (
        <>
          <p className="blind-panel__about" data-testid="blind-status">
            {isTherapist
              ? `Your observations are private to you: ${coTherapist ?? 'your co-therapist'} cannot see them, and you cannot see theirs, until you both press Reveal or the session ends. The note itself stays shared.`
              : 'The therapists’ observations are private to each of them until they reveal them.'}
          </p>
          {isTherapist && (
            <>
              <h3 className="blind-panel__subtitle">
                My private observations <span className="muted">({blind.mine.length})</span>
              </h3>
              {blind.mine.length === 0 ? (
                <p className="muted panel__empty">
                  {state.canChange ? 'Observations are kept private from the start of the session: start it, then tag as usual.' : 'None yet. Select words and press Tag… as usual.'}
                </p>
              ) : (
                <ol className="obs-list" data-testid="private-observations">
                  {blind.mine.map((o) => {
                    const quote = o.quote || lineWords.get(o.id) || '';
                    return (
                      <li key={o.id} className="blind-panel__item" data-testid="private-observation">
                        <TagChips tags={o.tags} />
                        {o.member && <span className="muted"> · {o.member}</span>}
                        <span className="muted"> · {o.offset ?? 'before the start'}</span>
                        {quote && (
                          <>
                            {' '}
                            <q>{quote}</q>
                          </>
                        )}
                      </li>
                    );
                  })}
                </ol>
              )}
              {/* Revealing is for a session under way; before it starts there is nothing to compare. */}
              {!state.canChange && (
                <button type="button" className="button button--primary" onClick={() => void blind.reveal()} disabled={pressedByMe || blind.isPressing} data-testid="blind-reveal">
                  {pressedByMe ? 'Reveal pressed' : 'Reveal'}
                </button>
              )}
              {!pressedByMe && state.revealRequests.length > 0 && (
                <p className="notice notice--info" role="status" data-testid="blind-asked">
                  {state.revealRequests.map((r) => r.name).join(' and ')} pressed Reveal and {state.revealRequests.length === 1 ? 'is' : 'are'} waiting for you.
                </p>
              )}
              {(blind.notice || pressedByMe) && (
                <p className="notice notice--info" role="status" data-testid="blind-waiting">
                  {blind.notice ?? `Waiting for ${coTherapist ?? 'your co-therapist'} to press Reveal too (or for the session to end).`}
                </p>
              )}
            </>
          )}
        </>
      )}
      {state.enabled && state.revealedAt !== null && (
        <p data-testid="blind-revealed">
          Revealed {formatDateTime(state.revealedAt)}: both sets of observations are in the note.{' '}
          <Link to={`/sessions/${sessionId}/review`}>See where you agreed</Link> · <Link to={`/sessions/${sessionId}/debrief`}>Debrief</Link>
        </p>
      )}
      {blind.error && (
        <p className="field__error" role="alert">
          {blind.error}
        </p>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DEFAULT_WINDOW_SECONDS, type Agreement, type ConcordanceMoment, type ConcordanceSide, type ConcordanceView } from '../../../shared/domain/concordance';
import { answerWords } from '../../../shared/domain/observation';
import { fetchConcordance } from '../../api/review';
import { PageState } from '../../components/PageState';
import { TableScroll } from '../../components/TableScroll';
import { keepSameSession, keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { TagChips } from '../observations/TagChips';

const WINDOWS = [30, 60, 120, 300];

const percent = (p: number | null) => (p === null ? '—' : `${Math.round(p * 100)}%`);

function KappaCell({ agreement }: { agreement: Agreement }) {
  if (agreement.kappa === null) {
    return (
      <span className="concordance__undefined" title={agreement.undefinedReason ?? undefined}>
        undefined <span className="muted">— {agreement.undefinedReason}</span>
      </span>
    );
  }
  return (
    <span>
      <strong>{agreement.kappa.toFixed(2)}</strong> <span className="muted">({agreement.strength})</span>
    </span>
  );
}

const kindLabel: Record<ConcordanceMoment['kind'], string> = {
  matched: 'Both, same tags',
  differentTags: 'Same moment, tagged differently',
  onlyA: 'Only',
  onlyB: 'Only',
};

/**
 * Where the two therapists agreed and what each caught alone: counts, Cohen's kappa per tag and
 * pooled (method and unit named as the server states them), and the moments to talk through,
 * each showing its words in the note.
 */
export function ConcordanceSection({ sessionId, onShow, compact = false }: { sessionId: string; onShow(observationId: string): void; compact?: boolean }) {
  const [windowSeconds, setWindowSeconds] = useState(DEFAULT_WINDOW_SECONDS);
  // Another window is the same session's concordance counted otherwise: the last answer stays
  // meanwhile, and with it the window's control (and the focus on it).
  const state = loadStateOf(
    useQuery({ queryKey: keys.session(sessionId, 'concordance', windowSeconds), queryFn: () => fetchConcordance(sessionId, windowSeconds), placeholderData: keepSameSession(sessionId) }),
  );
  const reload = useStale(keys.session(sessionId, 'concordance'));
  return (
    <section className="review-section concordance" aria-labelledby="concordance-title" data-testid="concordance">
      <h2 className="review-section__title" id="concordance-title">
        Where you agreed, and what each caught
      </h2>
      {state.status === 'ok' ? <Concordance view={state.data} windowSeconds={windowSeconds} onWindow={setWindowSeconds} onShow={onShow} compact={compact} /> : <PageState state={state} onRetry={reload} what="the concordance" />}
    </section>
  );
}

interface ConcordanceProps {
  view: ConcordanceView;
  windowSeconds: number;
  onWindow(s: number): void;
  onShow(id: string): void;
  /** Only the counts and the moments to talk through (the debrief), without the statistics. */
  compact: boolean;
}

function Concordance({ view, windowSeconds, onWindow, onShow, compact }: ConcordanceProps) {
  if (view.unavailable || !view.raters) {
    return (
      <p className="muted" data-testid="concordance-unavailable">
        {view.unavailable}
      </p>
    );
  }
  const { a, b } = view.raters;
  const disagreements = view.moments.filter((m) => m.kind !== 'matched');
  const nameOf = (m: ConcordanceMoment) => (m.kind === 'onlyA' ? a.name : m.kind === 'onlyB' ? b.name : '');
  return (
    <>
      <div className="concordance__controls no-print">
        <label>
          Same moment when within{' '}
          <select value={windowSeconds} onChange={(e) => onWindow(Number(e.target.value))} data-testid="concordance-window">
            {WINDOWS.map((s) => (
              <option key={s} value={s}>
                {s < 120 ? `${s} seconds` : `${s / 60} minutes`}
              </option>
            ))}
          </select>{' '}
          of each other (or in the same paragraph)
        </label>
      </div>
      <ul className="concordance__counts" data-testid="concordance-counts">
        <li>
          <strong>{view.counts.matched}</strong> both caught, same tags
        </li>
        <li>
          <strong>{view.counts.differentTags}</strong> same moment, tagged differently
        </li>
        <li>
          <strong>{view.counts.onlyA}</strong> only {a.name}
        </li>
        <li>
          <strong>{view.counts.onlyB}</strong> only {b.name}
        </li>
      </ul>

      <h3 className="concordance__subtitle">To talk through</h3>
      {disagreements.length === 0 ? (
        <p className="muted" data-testid="concordance-none">
          {view.moments.length === 0 ? 'Neither therapist made an observation.' : 'Every moment was caught by both, with the same tags.'}
        </p>
      ) : (
        <ol className="concordance__list" data-testid="concordance-disagreements">
          {disagreements.map((m) => (
            <li key={`${m.a?.observationId ?? ''}-${m.b?.observationId ?? ''}`} className={`concordance__item concordance__item--${m.kind}`} data-testid="concordance-item" data-kind={m.kind}>
              <p className="concordance__what">
                <strong>
                  {kindLabel[m.kind]} {nameOf(m)}
                </strong>
                {m.member && <span className="muted"> · {m.member}</span>}
                <span className="muted"> · {(m.a ?? m.b)?.offset ?? 'before the start'}</span>
              </p>
              {[
                { who: a.name, side: m.a },
                { who: b.name, side: m.b },
              ].map(({ who, side }) =>
                side ? (
                  <div key={who} className="concordance__side">
                    <span className="concordance__who">{who}:</span> <TagChips tags={side.tags} />{' '}
                    {side.quote && <q className="concordance__quote">{side.quote}</q>}{' '}
                    <button type="button" className="link-button no-print" onClick={() => onShow(side.observationId)} data-testid="concordance-show">
                      Show in the note
                    </button>
                  </div>
                ) : (
                  <div key={who} className="concordance__side muted" data-testid="concordance-nothing">
                    {who}: {answered((m.a ?? m.b)?.answer ?? null)}
                  </div>
                ),
              )}
            </li>
          ))}
        </ol>
      )}

      {!compact && <Agreements view={view} />}
    </>
  );
}

/** Cohen's kappa per tag and pooled, with the method stated. */
function Agreements({ view }: { view: ConcordanceView }) {
  const { a, b } = view.raters!;
  return (
    <>
      <h3 className="concordance__subtitle">Agreement by tag</h3>
      <TableScroll label="Agreement by tag">
        <table className="table table--dense concordance__table" data-testid="concordance-kappa">
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Both</th>
              <th scope="col">Only {a.name}</th>
              <th scope="col">Only {b.name}</th>
              <th scope="col">Neither</th>
              <th scope="col">Agreed</th>
              <th scope="col">By chance</th>
              <th scope="col">Cohen’s κ</th>
            </tr>
          </thead>
          <tbody>
            {view.perTag.map((t) => (
              <tr key={t.tagId} data-testid="concordance-tag-row">
                <th scope="row">
                  <TagChips tags={[{ id: t.tagId, name: t.name, color: t.color }]} />
                </th>
                <td>{t.both}</td>
                <td>{t.onlyA}</td>
                <td>{t.onlyB}</td>
                <td>{t.neither}</td>
                <td>{percent(t.observed)}</td>
                <td>{percent(t.expected)}</td>
                <td>
                  <KappaCell agreement={t} />
                </td>
              </tr>
            ))}
            <tr className="concordance__overall" data-testid="concordance-overall">
              <th scope="row">All tags (pooled)</th>
              <td>{view.overall.both}</td>
              <td>{view.overall.onlyA}</td>
              <td>{view.overall.onlyB}</td>
              <td>{view.overall.neither}</td>
              <td>{percent(view.overall.observed)}</td>
              <td>{percent(view.overall.expected)}</td>
              <td>
                <KappaCell agreement={view.overall} />
              </td>
            </tr>
          </tbody>
        </table>
      </TableScroll>
      <p className="muted concordance__method" data-testid="concordance-method">
        <strong>Method.</strong> {view.method} With few moments kappa moves a lot; read it beside the list above.
      </p>
    </>
  );
}

/** What the therapist without an observation at a moment said of the other's, if it was flagged for them. */
function answered(answer: ConcordanceSide['answer']): string {
  if (!answer) return 'nothing at this moment';
  return `no observation; answered the flag ${answerWords[answer.answer]}${answer.note ? `: “${answer.note}”` : ''}`;
}

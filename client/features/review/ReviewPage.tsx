import { useEffect, useRef, useState } from 'react';
import { isLocked } from '../../../shared/domain/lifecycle';
import { formatDuration } from '../../../shared/domain/observation';
import { ApiError } from '../../api/http';
import { markdownExportUrl, pdfExportUrl } from '../../api/review';
import { useCurrentUser } from '../../auth/useCurrentUser';
import { useFlash } from '../../components/Flash';
import { PageState } from '../../components/PageState';
import { useAnnouncePersonColor } from '../../components/PersonColor';
import { formatDateTime, kindLabel, statusLabel } from '../../format';
import { Link, navigate } from '../../router';
import { AddendaSection } from '../lifecycle/AddendaSection';
import { AuthorLegend } from './AuthorLegend';
import { authorTurns } from './authorTurns';
import { threads } from './commentThreads';
import { ConcordanceSection } from './ConcordanceSection';
import { sessionParts } from '../../../shared/domain/sessionParts';
import { lineWordRuns } from './lineWordRuns';
import { indexNote, type Passage } from './noteIndex';
import { PassageComments, type PassageThread } from './PassageComments';
import { ReplayControl } from './ReplayControl';
import { ReviewNote } from './ReviewNote';
import { ReviewObservations } from './ReviewObservations';
import { SelectionCommentBar } from './SelectionCommentBar';
import { RiskSection } from './RiskSection';
import { SignaturesSection } from './SignaturesSection';
import { SupervisorActions } from './SupervisorActions';
import { useReplay } from './useReplay';
import { useReviewData, type ReviewData } from './useReviewData';
import { useLiveUpdates } from '../../api/liveEvents';
import { WhoCaughtWhat } from './WhoCaughtWhat';
import { SupervisionNotesPanel } from '../supervisor/SupervisionNotesPanel';
import { ThreadStatesProvider } from '../supervisor/threadStates';

/** `/sessions/:id/review`: the record of a session for its supervisor (and, read-only, its therapists). */
export function ReviewPage({ id }: { id: string }) {
  const { state, reload } = useReviewData(id);
  // A signature, co-signature or return by someone else shows without a reload.
  useLiveUpdates();
  const { show } = useFlash();
  const isDenied = state.status === 'error' && state.error instanceof ApiError && [400, 403, 404].includes(state.error.status);
  useEffect(() => {
    if (!isDenied) return;
    show('That session does not exist, or you are not one of its members.');
    navigate('/', { replace: true });
  }, [isDenied, show]);

  if (state.status !== 'ok') {
    return (
      <div className="page">
        <PageState state={state} onRetry={reload} what="the review" />
      </div>
    );
  }
  return <Review data={state.data} onChanged={reload} />;
}

function Review({ data, onChanged }: { data: ReviewData; onChanged(): Promise<void> }) {
  const { session, review, verify, timeline } = data;
  const me = useCurrentUser().id;
  const replay = useReplay(session.id);
  const noteRef = useRef<HTMLDivElement>(null);
  // `?focus=<observation id>`: arriving from the debrief's list of moments to talk through.
  const [focus, setFocus] = useState<{ id: string; nonce: number } | null>(() => {
    const id = new URLSearchParams(window.location.search).get('focus');
    return id ? { id, nonce: Date.now() } : null;
  });
  const [outcome, setOutcome] = useState<string | null>(null);

  useAnnouncePersonColor(session.members.find((m) => m.userId === me)?.color ?? null);
  const isSupervisor = session.myRole === 'supervisor';
  const isMember = session.myRole !== null;
  const { pairLearning } = sessionParts(session);
  const replaying = replay.at !== null && replay.data !== null;
  const shown = replaying ? replay.data! : review;
  const therapists = session.members.filter((m) => m.role === 'therapist').map((m) => ({ accountId: m.userId, name: m.name }));

  // Comments: on passages (numbered in the order they stand in the note) and on observations.
  const all = threads(review.comments);
  const index = indexNote(review.blocks);
  const located = all
    .filter((t) => t.comment.anchor.type === 'passage')
    .map((t) => {
      const anchor = t.comment.anchor as Extract<typeof t.comment.anchor, { type: 'passage' }>;
      const from = index.locate(anchor.start);
      const to = index.locate(anchor.end);
      return { thread: t, from, to: from !== null && to !== null && to >= from ? to : null };
    })
    .sort((a, b) => (a.from ?? Infinity) - (b.from ?? Infinity));
  let n = 0;
  const passageThreads: PassageThread[] = located.map((l) => ({ thread: l.thread, number: l.to !== null ? ++n : null }));
  const passages: Passage[] = replaying
    ? []
    : located.flatMap((l, i) => (l.to !== null && l.from !== null ? [{ number: passageThreads[i]!.number!, from: l.from, to: l.to }] : []));
  const threadsFor = (observationId: string) =>
    all.filter((t) => t.comment.anchor.type === 'observation' && t.comment.anchor.observationId === observationId);

  const look = {
    authors: new Map(shown.authors.map((a) => [a.accountId, { name: a.name, color: a.color }])),
    observationColor: new Map(shown.observations.map((o) => [o.id, o.tags[0]?.color ?? '#6b7280'])),
    focusedObservation: focus?.id ?? null,
    lineWords: lineWordRuns(shown.blocks, new Set(shown.observations.filter((o) => o.kind === 'line').map((o) => o.id))),
    authorTurns: authorTurns(shown.blocks),
  };

  // Bring a chosen observation's words into view, and let the highlight fade after a moment.
  useEffect(() => {
    if (!focus) return;
    const el = noteRef.current?.querySelector(`[data-observations~="${CSS.escape(focus.id)}"]`);
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    const timer = setTimeout(() => setFocus(null), 2500);
    return () => clearTimeout(timer);
  }, [focus]);

  // A member note has no clock of its own: it documents its group session, whose times it shows.
  const clock = review.groupTimes ?? session;
  const started = clock.startedAt ? Date.parse(clock.startedAt) : null;
  const ended = clock.endedAt ? Date.parse(clock.endedAt) : null;

  return (
    <ThreadStatesProvider sessionId={session.id} comments={review.comments} me={me}>
      <div className="review" data-testid="review-page">
        <p className="print-only muted">
          Tandem session record · {kindLabel[session.kind]} session · printed {formatDateTime(new Date().toISOString())}
        </p>
        <header className="review-header">
          <div>
            <Link to={`/sessions/${session.id}`} className="session-header__back no-print">
              ← Open the note
            </Link>
            <h1 className="session-header__title">{review.title}</h1>
            <p className="session-header__meta">
              <span>{kindLabel[session.kind]}</span>
              <span className={`status status--${session.status}`} data-testid="review-status">
                {statusLabel[session.status]}
              </span>
              <span data-testid="review-started">
                {review.groupTimes ? 'Group session started' : 'Started'} {formatDateTime(clock.startedAt)}
              </span>
              {ended !== null && started !== null && <span>Lasted {formatDuration(ended - started)}</span>}
            </p>
          </div>
          <div className="review-header__actions no-print">
            {pairLearning && (
              <Link to={`/sessions/${session.id}/debrief`} className="button" data-testid="debrief-link">
                Huddle and debrief
              </Link>
            )}
            <a className="button" href={markdownExportUrl(session.id)} download data-testid="export-markdown">
              Export Markdown
            </a>
            <a className="button" href={pdfExportUrl(session.id)} download data-testid="export-pdf">
              Export PDF
            </a>
            <button type="button" className="button" onClick={() => window.print()}>
              Print
            </button>
          </div>
        </header>

        {outcome && (
          <p className="form-success review-outcome no-print" role="status" data-testid="review-outcome">
            {outcome}
          </p>
        )}
        {isSupervisor && session.status === 'signed' && (
          <SupervisorActions
            sessionId={session.id}
            onDone={(message) => {
              setOutcome(message);
              onChanged();
            }}
          />
        )}

        <div className="review__body">
          <section className="review__note" aria-label="Note">
            <ReplayControl timeline={timeline} replay={replay} />
            {isSupervisor && !replaying && <SelectionCommentBar sessionId={session.id} noteRef={noteRef} onCommented={onChanged} />}
            <div className={`review-note-card${replaying ? ' review-note-card--replay' : ''}`}>
              <AuthorLegend authors={shown.authors} />
              <ReviewNote ref={noteRef} blocks={shown.blocks} passages={passages} look={look} />
            </div>
            {/* Appended to the note, read with it: at the page's end, after the tables, it was missed (walk, 4 Dec). */}
            <AddendaSection
              sessionId={session.id}
              addenda={review.addenda}
              canAdd={session.myRole === 'therapist' && isLocked(session.status)}
              onAdded={onChanged}
              asOf={replaying ? replay.at : null}
            />
          </section>
          <aside className="review__aside">
            <ReviewObservations
              sessionId={session.id}
              observations={shown.observations}
              authors={shown.authors}
              therapists={therapists}
              threadsFor={threadsFor}
              me={me}
              canComment={isSupervisor}
              canReply={isMember}
              replaying={replaying}
              onShow={(id) => setFocus({ id, nonce: Date.now() })}
              onChanged={onChanged}
            />
            {!replaying && <PassageComments sessionId={session.id} items={passageThreads} me={me} canReply={isMember} onChanged={onChanged} />}
          </aside>
        </div>

        <RiskSection risk={shown.risk} />
        <WhoCaughtWhat summaries={review.whoCaughtWhat} authors={review.authors} />
        {pairLearning && <ConcordanceSection sessionId={session.id} onShow={(id) => setFocus({ id, nonce: Date.now() })} />}
        <SignaturesSection review={review} verify={verify} />
        {isMember && <SupervisionNotesPanel sessionId={session.id} isSupervisor={isSupervisor} therapists={session.members.filter((m) => m.role === 'therapist')} />}
      </div>
    </ThreadStatesProvider>
  );
}

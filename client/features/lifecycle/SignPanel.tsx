import { useState } from 'react';
import type { Observation } from '../../../shared/domain/observation';
import { describeRiskGap, type RiskGap } from '../../../shared/domain/risk';
import type { MemberView, SessionView } from '../../../shared/domain/session';
import { accountChangeWords } from '../../../shared/domain/signerChange';
import { signSession } from '../../api/lifecycle';
import { FormError } from '../../components/FormError';
import { PageState } from '../../components/PageState';
import type { LoadState } from '../../query/loadState';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime } from '../../format';
import { Link } from '../../router';
import { awaitedSigners, signaturesNow, type SignatureState } from './signatureRound';
import type { SessionRecord } from './useSessionRecord';

interface SignPanelProps {
  session: SessionView;
  me: string;
  record: LoadState<SessionRecord>;
  onRetry(): void;
  /** Flags nobody has answered yet, from the live note. */
  unansweredFlags: Observation[];
  /** Tagged lines with nothing written after their label (not a bar to signing), each with its label's words. */
  emptyLines: { observation: Observation; label: string }[];
  /** Members tagged risk/safety whose assessment or plan is still missing: signing waits for them. */
  riskGaps: RiskGap[];
  /** A member note's words that its group note now says for its member and it lacks (not a bar to signing). */
  groupChanges: string[];
  quoteOf(id: string): string | null;
  onReveal(id: string): void;
  /** Puts the caret after a tagged line's label, to write its words. */
  onWriteAfter(id: string): void;
  /** Reads the session and its record again; the Sign button stays held until then. */
  onSigned(): Promise<void>;
  /** The digest of the note as this page shows it, sent with the signature. */
  digestOfMyCopy(): Promise<string | undefined>;
  /**
   * Whether this page's copy has caught up with the server's. Before that (still loading, or
   * disconnected) the copy is an older note, and signing it could only be refused (409
   * `note_differs`), so Sign waits.
   */
  copySynced: boolean;
  /**
   * The same digest, kept up to date with every edit (useNoteDigest): signatures are shown against
   * it, so a change by either therapist shows at once who must sign again. Undefined until known;
   * the record's digest (as the server last said) stands in meanwhile.
   */
  noteDigest: string | undefined;
}

/** After the session: who still has to sign, the flags nobody answered, and the Sign button. */
export function SignPanel({ session, me, record, onRetry, unansweredFlags, emptyLines, riskGaps, groupChanges, quoteOf, onReveal, onWriteAfter, onSigned, digestOfMyCopy, copySynced, noteDigest }: SignPanelProps) {
  // With the status it left the session in: the outcome of a signing that locked the note is no
  // news once a return for revision opened it again (it stood above "not signed yet": walk, 4 Dec).
  const [outcome, setOutcome] = useState<{ text: string; status: SessionView['status'] } | null>(null);
  const nameOf = (id: string) => session.members.find((m) => m.userId === id)?.name ?? 'Former member';
  const therapists = awaitedSigners(session);
  // The outcome of my last signing stands only while that signature does: a later change to the
  // note (a late entry) makes it an earlier version's, and the list then asks me to sign again.
  const states = record.status === 'ok' ? signaturesNow(session, record.data, noteDigest) : undefined;
  const mySignature = states?.get(me);
  const shownOutcome = mySignature?.kind === 'stale' || outcome?.status !== session.status ? null : outcome.text;
  // Every signature it waits for is given (a co-therapist could no longer sign after the others
  // signed): it locks only when one of them signs again, and the page says so (6 Dec: it said nothing).
  const readyToLock = session.status === 'ended' && states !== undefined && therapists.length > 0 && therapists.every((t) => states.get(t.userId)?.kind === 'current');
  // Signed as it stands while others are still to sign: a press could only be refused, 409 "already
  // signed" (walk, 6 Dec: A's panel offered Sign again after A signed, and answered that error).
  const signedAsItStands = mySignature?.kind === 'current' && !readyToLock;
  const stillToSign = therapists.filter((t) => t.userId !== me && states?.get(t.userId)?.kind !== 'current').map((t) => t.name);
  const sign = useSubmit(async () => {
    setOutcome(null);
    const result = await signSession(session.id, await digestOfMyCopy());
    setOutcome(
      result.locked
        ? { text: 'Signed. Every therapist has signed: the note is locked.', status: 'signed' }
        : { text: `Signed. Waiting for ${result.waitingFor.map(nameOf).join(' and ')}.`, status: session.status },
    );
    await onSigned();
  });

  return (
    <section className="panel sign-panel" aria-labelledby="sign-title" data-testid="sign-panel">
      <h2 className="panel__title" id="sign-title">
        {session.status === 'ended' ? 'Sign the note' : 'Signatures'}
      </h2>
      {record.status !== 'ok' || states === undefined ? (
        <PageState state={record} onRetry={onRetry} what="the signatures" />
      ) : (
        <SignatureList record={record.data} session={session} states={states} me={me} />
      )}

      {session.status === 'ended' && (
        <>
          {unansweredFlags.length > 0 && (
            <div className="sign-panel__flags" data-testid="sign-unanswered">
              <p className="sign-panel__warn">
                {unansweredFlags.length === 1 ? '1 flag is' : `${unansweredFlags.length} flags are`} still unanswered:
              </p>
              <ul>
                {unansweredFlags.map((o) => (
                  <li key={o.id}>
                    <button type="button" className="link-button" onClick={() => onReveal(o.id)}>
                      “{quoteOf(o.id) ?? 'removed text'}”
                    </button>{' '}
                    <span className="muted">
                      — {nameOf(o.authorId)}’s flag{o.authorId === me ? ' (yours)' : ' for you'}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {emptyLines.length > 0 && (
            <div className="sign-panel__flags" data-testid="sign-empty-lines">
              <p className="sign-panel__warn">
                {emptyLines.length === 1 ? '1 tagged line has' : `${emptyLines.length} tagged lines have`} nothing written after the label:
              </p>
              <ul>
                {emptyLines.map(({ observation: o, label }) => (
                  <li key={o.id}>
                    <button type="button" className="link-button" onClick={() => onWriteAfter(o.id)} data-testid="sign-empty-line">
                      {label}
                    </button>{' '}
                    <span className="muted">— {o.authorId === me ? 'yours' : `${nameOf(o.authorId)}’s`}</span>
                  </li>
                ))}
              </ul>
              <p className="muted sign-panel__explain">Write what was observed after the label, or remove the tag. Signed as it is, the record says the line was left empty.</p>
            </div>
          )}
          {riskGaps.length > 0 && (
            <div className="sign-panel__flags sign-panel__risk" data-testid="sign-risk-missing">
              <p className="sign-panel__warn">Risk/safety was tagged. Before the note can be signed, record:</p>
              <ul>
                {riskGaps.map((g) => (
                  <li key={g.member}>{describeRiskGap(g)}</li>
                ))}
              </ul>
            </div>
          )}
          {groupChanges.length > 0 && (
            <div className="sign-panel__flags" data-testid="sign-group-changes">
              <p className="sign-panel__warn">
                The group note has changed since this note was made. It now says, for {session.groupMembers[0] ?? 'this member'}, what
                this note does not:
              </p>
              <ul>
                {groupChanges.map((words) => (
                  <li key={words}>“{words}”</li>
                ))}
              </ul>
              <p className="muted sign-panel__explain">Add what belongs in this member’s record before signing.</p>
            </div>
          )}
          {therapists.some((t) => t.userId === me) && (
            <>
              {readyToLock && !shownOutcome && (
                <p className="notice notice--info" data-testid="sign-ready-to-lock">
                  Every therapist the note waits for has signed it as it stands, but it is not locked: {notWaitedFor(session)} waited
                  for when you signed. Read it, then sign again to lock it.
                </p>
              )}
              {signedAsItStands ? (
                !shownOutcome && (
                  <p className="muted sign-panel__explain" data-testid="sign-done">
                    You have signed the note as it stands. It locks once {stillToSign.join(' and ')} {stillToSign.length === 1 ? 'has' : 'have'} signed it
                    too; if it changes before then, you are asked to sign again.
                  </p>
                )
              ) : (
                <>
                  <p className="muted sign-panel__explain" data-testid="sign-explain">
                    Signing records a fingerprint (SHA-256) of the note as it stands. The note locks {locksWhen(therapists, me)}; after
                    that, add to it only as an addendum.
                  </p>
                  <button type="button" className="button button--primary" onClick={() => void sign.run()} disabled={sign.isPending || riskGaps.length > 0 || !copySynced} data-testid="sign-submit">
                    {sign.isPending ? 'Signing…' : 'Sign the note'}
                  </button>
                </>
              )}
              {!signedAsItStands && !copySynced && (
                <p className="muted sign-panel__explain" data-testid="sign-waits-for-copy">
                  Signing waits until this page has the note as the server holds it (connecting…).
                </p>
              )}
            </>
          )}
          {shownOutcome && (
            <p className="form-success" role="status" data-testid="sign-outcome">
              {shownOutcome}
            </p>
          )}
          <FormError error={sign.error} />
        </>
      )}
      <p className="sign-panel__review">
        <Link to={`/sessions/${session.id}/review`}>Open the review</Link>
      </p>
    </section>
  );
}

/**
 * A note returned for revision, with who returned it, when and why: under the session's header, where
 * a therapist opening the note reads it first (in the sign panel it stood below the fold while the
 * header said "Ended": walk, 4 Dec).
 */
export function ReturnedNotice({ session, record }: { session: SessionView; record: LoadState<SessionRecord> }) {
  const lastReturn = record.status === 'ok' ? record.data.review.returns.at(-1) : undefined;
  if (session.status !== 'ended' || !lastReturn) return null;
  return (
    <div className="notice notice--warning" data-testid="returned-notice">
      <span>
        Returned for revision by {lastReturn.name} on {formatDateTime(lastReturn.at)}: “{lastReturn.reason}”
      </span>
    </div>
  );
}

/** What changed about a therapist's account that they sign no more: "made an admin", "account deactivated". */
const changeOf = (m: MemberView): string => (m.accountChange ? accountChangeWords(m.accountChange) : 'account changed');

/**
 * Whom the note no longer waits for, by name and why: "a co-therapist who can no longer sign" left
 * the one who signed guessing whose account changed (walk, 6 Dec). One taken off the note is no
 * member now, so not named here: their inbox notice names them.
 */
function notWaitedFor(session: SessionView): string {
  const named = session.members.filter((m) => m.role === 'therapist' && !m.holdsRole).map((m) => `${m.name} (${changeOf(m)})`);
  if (named.length === 0) return 'a co-therapist taken off the note since was';
  return `${named.join(' and ')}, who can no longer sign, ${named.length === 1 ? 'was' : 'were'}`;
}

/**
 * When the note locks, by the therapists it waits for: "when every therapist has signed" read as
 * waiting for a co-therapist made an admin, whom the list above names as not waited for (walk, 6 Dec).
 */
function locksWhen(awaited: readonly MemberView[], me: string): string {
  const others = awaited.filter((t) => t.userId !== me).map((t) => t.name);
  return others.length === 0 ? 'when you sign' : `when you and ${others.join(' and ')} have signed the same content`;
}

function SignatureList({ record, session, states, me }: { record: SessionRecord; session: SessionView; states: Map<string, SignatureState>; me: string }) {
  const { review } = record;
  const therapists = awaitedSigners(session);
  // A therapist who may no longer sign (made an admin, deactivated) is named, so the others see why the note does not wait for them.
  const notSigning = session.members.filter((m) => m.role === 'therapist' && !m.holdsRole);
  const cosign = review.signatures.filter((s) => s.kind === 'cosigned').at(-1);
  // Locked while a therapist could not sign (made an admin, deactivated, then changed back): "not
  // signed yet" there read as a signature still to give, with no Sign button (walk, 6 Dec).
  const locked = session.status === 'signed' || session.status === 'reviewed';
  return (
    <>
      <ul className="signers" data-testid="signers">
        {therapists.map((t) => {
          const state = states.get(t.userId) ?? { kind: 'none' };
          return (
            <li key={t.userId} className={`signers__row signers__row--${state.kind}`}>
              <span className="presence-dot" style={{ backgroundColor: t.color }} aria-hidden="true" />
              <span className="signers__name">{t.name}</span>
              <span className="signers__state">
                {state.kind === 'none' && (!locked ? 'not signed yet' : t.userId === me ? 'not signed: it was locked without you' : 'not signed: locked without their signature')}
                {state.kind === 'current' && `signed ${formatDateTime(state.at)}`}
                {state.kind === 'stale' && (locked ? 'signed an earlier version, not the note as locked' : 'signed an earlier version — must sign again')}
              </span>
            </li>
          );
        })}
        {notSigning.map((t) => (
          <li key={t.userId} className="signers__row signers__row--none" data-testid="signer-not-awaited">
            <span className="presence-dot" style={{ backgroundColor: t.color }} aria-hidden="true" />
            <span className="signers__name">{t.name}</span>
            <span className="signers__state">no longer signs ({changeOf(t)}) — not waited for</span>
          </li>
        ))}
      </ul>
      {session.status === 'signed' && <p className="muted sign-panel__status">Locked. Waiting for the supervisor’s co-signature.</p>}
      {cosign && (
        <p className="muted sign-panel__status">
          Co-signed by {cosign.name} on {formatDateTime(cosign.at)}.
        </p>
      )}
    </>
  );
}

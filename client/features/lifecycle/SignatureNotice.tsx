import type { SessionView } from '../../../shared/domain/session';
import type { LoadState } from '../../query/loadState';
import { formatDateTime } from '../../format';
import { signaturesNow } from './signatureRound';
import type { SessionRecord } from './useSessionRecord';

/**
 * Above the note of an ended session, for its therapists: whose signature a change would cancel,
 * and whose a change has cancelled. A signature is given to the note's content (its SHA-256), so
 * an edit after the co-therapist signed leaves theirs on an earlier version; only the sign panel,
 * beside and below the note, said so (walk, 4 Dec, M1). `noteDigest` is the note as this page
 * holds it now (useNoteDigest), so the words follow each keystroke.
 */
export function SignatureNotice({ session, me, record, noteDigest }: { session: SessionView; me: string; record: LoadState<SessionRecord>; noteDigest: string | undefined }) {
  if (session.status !== 'ended' || record.status !== 'ok') return null;
  const therapists = session.members.filter((m) => m.role === 'therapist');
  if (!therapists.some((t) => t.userId === me)) return null;
  const states = signaturesNow(session, record.data, noteDigest);
  const lines: string[] = [];
  for (const t of therapists) {
    const state = states.get(t.userId);
    if (!state || state.kind === 'none') continue;
    const at = formatDateTime(state.at);
    if (t.userId === me) {
      if (state.kind === 'stale') lines.push(`You signed an earlier version of this note (${at}); it has changed since. Read it again and sign it as it is now.`);
    } else if (state.kind === 'current') {
      lines.push(`${t.name} signed the note as it stands (${at}). If you change it now, ${t.name} must read it again and sign again.`);
    } else {
      lines.push(`${t.name} signed an earlier version (${at}); the note has changed since, so ${t.name} must sign it again.`);
    }
  }
  if (lines.length === 0) return null;
  return (
    <div className="notice notice--info signature-notice" role="status" data-testid="signature-notice">
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}

import { formatDateTime } from '../../format';

/** Shown to therapists once the session has ended and before the note is locked. */
export function LateEntryBanner({ endedAt }: { endedAt: string | null }) {
  return (
    <div className="notice notice--info" data-testid="late-entry-banner">
      <strong>The session ended{endedAt ? ` at ${formatDateTime(endedAt)}` : ''}.</strong> Anything written now is labelled as a
      late entry, with its time, in the note and in every export.
    </div>
  );
}

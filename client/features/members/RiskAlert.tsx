import { useEffect, useRef, useState } from 'react';
import type { Observation } from '../../../shared/domain/observation';
import { RISK_TAG, type RiskGap } from '../../../shared/domain/risk';

/**
 * A quiet live alert when the co-therapist tags risk/safety for a member: a polite status line
 * (no sound, no dialog, nothing that takes the focus), until dismissed. Observations already in
 * the note when it was first synced with the server are not news (`synced`: the device's copy may
 * open first, without them).
 */
export function RiskAlert({ observations, synced, me, nameOf, gaps }: { observations: Observation[]; synced: boolean; me: string; nameOf(id: string): string; gaps: RiskGap[] }) {
  const seen = useRef<Set<string> | null>(null);
  const [alerts, setAlerts] = useState<Observation[]>([]);
  useEffect(() => {
    if (!synced) return;
    const risky = observations.filter((o) => o.tags.includes(RISK_TAG) && o.member !== null);
    if (seen.current === null) {
      seen.current = new Set(risky.map((o) => o.id));
      return;
    }
    const fresh = risky.filter((o) => !seen.current!.has(o.id));
    fresh.forEach((o) => seen.current!.add(o.id));
    const theirs = fresh.filter((o) => o.authorId !== me);
    if (theirs.length > 0) setAlerts((a) => [...a, ...theirs]);
  }, [observations, synced, me]);
  return (
    <div role="status" aria-live="polite" className="risk-alerts">
      {alerts.map((o) => (
        <p key={o.id} className="notice notice--warning risk-alert" data-testid="risk-alert">
          <span>
            {nameOf(o.authorId)} tagged <strong>Risk/safety</strong> for {o.member}.{' '}
            {/* Said as it is now: the alert stays until dismissed, the record may be written meanwhile (walk, 4 Dec). */}
            {gaps.some((g) => g.member === o.member) ? 'Their risk assessment and plan are needed before signing.' : 'Their risk assessment and plan are written.'}
          </span>
          <button type="button" className="link-button" onClick={() => setAlerts((a) => a.filter((x) => x.id !== o.id))}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}

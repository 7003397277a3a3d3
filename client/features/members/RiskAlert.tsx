import { useEffect, useRef, useState } from 'react';
import type { Observation } from '../../../shared/domain/observation';
import { CLIENT_RISK_KEY, riskKeyOf, type RiskGap } from '../../../shared/domain/risk';

/**
 * A quiet live alert when the co-therapist tags risk/safety for a member: a polite status line
 * (no sound, no dialog, nothing that takes the focus), until dismissed. Observations already in
 * the note when it was first synced with the server are not news (`synced`: the device's copy may
 * open first, without them).
 */
export function RiskAlert({ observations, labels, synced, me, nameOf, gaps }: { observations: Observation[]; labels: readonly string[]; synced: boolean; me: string; nameOf(id: string): string; gaps: RiskGap[] }) {
  const seen = useRef<Set<string> | null>(null);
  const [alerts, setAlerts] = useState<Observation[]>([]);
  useEffect(() => {
    if (!synced) return;
    const risky = observations.filter((o) => riskKeyOf(o, labels) !== null);
    if (seen.current === null) {
      seen.current = new Set(risky.map((o) => o.id));
      return;
    }
    const fresh = risky.filter((o) => !seen.current!.has(o.id));
    fresh.forEach((o) => seen.current!.add(o.id));
    const theirs = fresh.filter((o) => o.authorId !== me);
    if (theirs.length > 0) setAlerts((a) => [...a, ...theirs]);
  }, [observations, labels, synced, me]);
  // One alert per member, however many tags came for them: each tag its own alert stacked up in
  // the side column, one Dismiss each, saying the same thing (left over from the clinicians' walks).
  const byMember = new Map<string, Observation[]>();
  for (const o of alerts) {
    const key = riskKeyOf(o, labels) ?? '';
    byMember.set(key, [...(byMember.get(key) ?? []), o]);
  }
  return (
    <div role="status" aria-live="polite" className="risk-alerts">
      {[...byMember].map(([key, tagged]) => {
        // Named, not "their": it read as the tagging therapist's record (walk, 4 Dec).
        const whose = key === CLIENT_RISK_KEY ? 'The client’s' : `${key}’s`;
        const times = tagged.length === 1 ? '' : tagged.length === 2 ? ' twice' : ` ${tagged.length} times`;
        return (
          <p key={key} className="notice notice--warning risk-alert" data-testid="risk-alert">
            <span>
              {[...new Set(tagged.map((o) => nameOf(o.authorId)))].join(' and ')} tagged <strong>Risk/safety</strong> for {key === CLIENT_RISK_KEY ? 'the client' : key}
              {times}.{' '}
              {/* Said as it is now: the alert stays until dismissed, the record may be written meanwhile (walk, 4 Dec). */}
              {gaps.some((g) => g.member === key) ? `${whose} risk assessment and safety plan are needed before signing.` : `${whose} risk assessment and safety plan are written.`}
            </span>
            <button type="button" className="link-button" onClick={() => setAlerts((a) => a.filter((x) => !tagged.includes(x)))}>
              Dismiss
            </button>
          </p>
        );
      })}
    </div>
  );
}

import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RiskAlert } from '../../client/features/members/RiskAlert';
import type { Observation } from '../../shared/domain/observation';
import type { RiskGap } from '../../shared/domain/risk';

afterEach(cleanup);

const ANNA = '8b4f2f86-1f0e-4f59-8d2a-3c1c5d7e9a01';
const BEN = '0d3c7a55-6b1e-4a0f-9f7c-2e4b8a6d1c02';
const nameOf = (id: string) => (id === BEN ? 'Ben Okafor' : 'Anna Alvarez');

const riskTag = (member: string | null): Observation => ({
  id: crypto.randomUUID(), createdAt: 1, kind: 'span', member, forCoTherapist: false, authorId: BEN, tags: ['risk-safety'],
});

/** Anna's page: synced with nothing tagged, then Ben's observation arrives. */
function alertFor(labels: string[], arriving: Observation, gaps: RiskGap[]): string[] {
  const props = { labels, synced: true, me: ANNA, nameOf, gaps };
  const { rerender } = render(<RiskAlert observations={[]} {...props} />);
  rerender(<RiskAlert observations={[arriving]} {...props} />);
  return screen.queryAllByTestId('risk-alert').map((p) => p.textContent ?? '');
}

// Walk (4 Dec): in a session without member labels a risk/safety tag alerted nobody, and "Their
// risk assessment" read as the tagging therapist's.
describe('the risk alert', () => {
  it('alerts to the client’s record in a session without member labels, naming whose record it is', () => {
    expect(alertFor([], riskTag(null), [{ member: 'Client', missing: ['assessment', 'plan'] }])).toEqual([
      'Ben Okafor tagged Risk/safety for the client. The client’s risk assessment and safety plan are needed before signing.Dismiss',
    ]);
  });

  it('names the member in a group, and says nothing for a tag that names no member there', () => {
    expect(alertFor(['M1', 'M2'], riskTag('M2'), [])).toEqual(['Ben Okafor tagged Risk/safety for M2. M2’s risk assessment and safety plan are written.Dismiss']);
    cleanup();
    expect(alertFor(['M1', 'M2'], riskTag(null), [])).toEqual([]);
  });

  // Leftover of the walks: each risk tag was an alert of its own, stacked in the side column.
  it('is one alert per member, however many tags arrive for them; Dismiss clears that member’s', () => {
    const props = { labels: ['M1', 'M2'], synced: true, me: ANNA, nameOf, gaps: [] };
    const { rerender } = render(<RiskAlert observations={[]} {...props} />);
    const arriving = [riskTag('M1'), riskTag('M1'), riskTag('M2'), riskTag('M1')];
    rerender(<RiskAlert observations={arriving.slice(0, 2)} {...props} />);
    rerender(<RiskAlert observations={arriving} {...props} />);
    const alerts = () => screen.queryAllByTestId('risk-alert').map((p) => p.textContent ?? '');
    expect(alerts()).toEqual([
      'Ben Okafor tagged Risk/safety for M1 3 times. M1’s risk assessment and safety plan are written.Dismiss',
      'Ben Okafor tagged Risk/safety for M2. M2’s risk assessment and safety plan are written.Dismiss',
    ]);
    screen.getAllByRole('button', { name: 'Dismiss' })[0]!.click();
    rerender(<RiskAlert observations={arriving} {...props} />);
    expect(alerts()).toEqual(['Ben Okafor tagged Risk/safety for M2. M2’s risk assessment and safety plan are written.Dismiss']);
  });
});

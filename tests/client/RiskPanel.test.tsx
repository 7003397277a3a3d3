import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RiskPanel } from '../../client/features/members/RiskPanel';
import { useRiskRecords } from '../../client/features/members/useRiskRecords';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';

afterEach(cleanup);

const ANNA = '8b4f2f86-1f0e-4f59-8d2a-3c1c5d7e9a01';
const BEN = '0d3c7a55-6b1e-4a0f-9f7c-2e4b8a6d1c02';
const names: Record<string, string> = { [ANNA]: 'Anna Alvarez', [BEN]: 'Ben Okafor' };

/** Anna's risk panel on her copy of the note, which Ben's saves reach as they would over the socket. */
function AnnasPanel({ doc }: { doc: Y.Doc }) {
  const records = useRiskRecords(doc);
  return <RiskPanel doc={doc} flagged={['M2']} records={records} me={ANNA} canWrite nameOf={(id) => names[id] ?? 'Former member'} />;
}

const field = (part: 'assessment' | 'plan') => screen.getByTestId(`risk-${part}-M2`) as HTMLTextAreaElement;
const bensSave = (doc: Y.Doc, assessment: string, plan: string) =>
  act(() => doc.transact(() => sessionDoc(doc).risk.set('M2', { assessment, plan, by: BEN, at: Date.now() }), 'remote'));

// A walk (4 Dec): Anna's draft, begun before Ben saved, replaced his assessment unseen, and the record
// then credited his words to her.
describe('the risk panel', () => {
  it('shows the co-therapist’s save made while I write, and keeps it unless I choose mine', () => {
    const doc = new Y.Doc();
    render(<AnnasPanel doc={doc} />);
    fireEvent.change(field('plan'), { target: { value: 'Anna draft plan.' } });
    bensSave(doc, 'Ben: moderate risk, means discussed.', 'Ben: pills handed to partner.');

    const meanwhile = screen.getByTestId('risk-meanwhile-M2');
    expect(meanwhile.textContent).toContain('Ben Okafor saved this record while you were writing');
    expect(meanwhile.textContent).toContain('Ben: moderate risk, means discussed.');
    expect(field('plan').value).toBe('Anna draft plan.');
    expect((screen.getByTestId('risk-save-M2') as HTMLButtonElement).disabled).toBe(true);
    expect(sessionDoc(doc).risk.get('M2')?.by).toBe(BEN);

    // Theirs: the fields show his record; my plan written on it keeps his assessment in his name.
    fireEvent.click(screen.getByTestId('risk-theirs-M2'));
    expect(field('assessment').value).toBe('Ben: moderate risk, means discussed.');
    fireEvent.change(field('plan'), { target: { value: 'Ben: pills handed to partner. Call on Friday.' } });
    fireEvent.click(screen.getByTestId('risk-save-M2'));
    expect(sessionDoc(doc).risk.get('M2')).toMatchObject({
      assessment: 'Ben: moderate risk, means discussed.', assessmentBy: BEN, plan: 'Ben: pills handed to partner. Call on Friday.', planBy: ANNA, by: ANNA,
    });
    expect(screen.getByTestId('risk-M2').textContent).toContain('assessment by Ben Okafor, plan by Anna Alvarez');
  });

  it('saves mine over theirs when I choose it, in my name for what I wrote', () => {
    const doc = new Y.Doc();
    render(<AnnasPanel doc={doc} />);
    fireEvent.change(field('assessment'), { target: { value: 'Anna: low risk.' } });
    bensSave(doc, 'Ben: moderate risk.', '');
    fireEvent.click(screen.getByTestId('risk-mine-M2'));
    expect(sessionDoc(doc).risk.get('M2')).toMatchObject({ assessment: 'Anna: low risk.', assessmentBy: ANNA, plan: '', by: ANNA });
    expect(screen.queryByTestId('risk-meanwhile-M2')).toBeNull();
  });

  it('saves one part before the other is written', () => {
    const doc = new Y.Doc();
    render(<AnnasPanel doc={doc} />);
    fireEvent.change(field('assessment'), { target: { value: 'Passive SI, no plan.' } });
    expect((screen.getByTestId('risk-save-M2') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByTestId('risk-save-M2'));
    expect(sessionDoc(doc).risk.get('M2')).toMatchObject({ assessment: 'Passive SI, no plan.', plan: '', assessmentBy: ANNA });
    expect(screen.getByTestId('risk-M2').textContent).toContain('assessment saved; safety plan needed before signing');
  });
});

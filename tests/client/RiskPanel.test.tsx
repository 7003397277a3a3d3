import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RiskPanel } from '../../client/features/members/RiskPanel';
import { useReplacedRiskSaves } from '../../client/features/members/useReplacedRiskSaves';
import { useRiskRecords } from '../../client/features/members/useRiskRecords';
import { readKeptWords } from '../../client/offline/keptWords';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';

afterEach(() => {
  cleanup();
  // What a page keeps on the device for the note (client/offline/keptWords.ts): each test starts with none.
  window.localStorage.clear();
});

const SESSION = '5e55e55e-0000-4000-8000-000000000001';

const ANNA = '8b4f2f86-1f0e-4f59-8d2a-3c1c5d7e9a01';
const BEN = '0d3c7a55-6b1e-4a0f-9f7c-2e4b8a6d1c02';
const names: Record<string, string> = { [ANNA]: 'Anna Alvarez', [BEN]: 'Ben Okafor' };

/** A therapist's risk panel on her copy of the note, which the other's saves reach as they would over the socket. */
function Panel({ doc, me }: { doc: Y.Doc; me: string }) {
  const records = useRiskRecords(doc);
  const { replaced, settle } = useReplacedRiskSaves(doc, me, SESSION);
  return <RiskPanel doc={doc} flagged={['M2']} records={records} replaced={replaced} onSettled={settle} me={me} canWrite nameOf={(id) => names[id] ?? 'Former member'} />;
}
const AnnasPanel = ({ doc }: { doc: Y.Doc }) => <Panel doc={doc} me={ANNA} />;

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

  // Only the parts I changed: "Save mine" wrote my stale plan over his (walk, 6 Dec).
  it('saves mine over theirs when I choose it, in my name for what I wrote, and theirs for the parts I left', () => {
    const doc = new Y.Doc();
    render(<AnnasPanel doc={doc} />);
    fireEvent.change(field('assessment'), { target: { value: 'Anna: low risk.' } });
    bensSave(doc, 'Ben: moderate risk.', 'Ben: weekly check-in.');
    fireEvent.click(screen.getByTestId('risk-mine-M2'));
    expect(sessionDoc(doc).risk.get('M2')).toMatchObject({ assessment: 'Anna: low risk.', assessmentBy: ANNA, plan: 'Ben: weekly check-in.', planBy: BEN, by: ANNA });
    expect(screen.queryByTestId('risk-meanwhile-M2')).toBeNull();
  });

  // Walk, 6 Dec: Ben's save of the plan came in while Anna wrote the assessment; she was asked to
  // choose, and "Save mine" then wrote her empty plan over his.
  it('takes the co-therapist’s save of a part I left as it was, without asking, and saves mine beside it', () => {
    const doc = new Y.Doc();
    render(<AnnasPanel doc={doc} />);
    fireEvent.change(field('assessment'), { target: { value: 'Anna: passive SI, no plan.' } });
    bensSave(doc, '', 'Ben: crisis line card given.');
    expect(screen.queryByTestId('risk-meanwhile-M2')).toBeNull();
    expect(field('plan').value).toBe('Ben: crisis line card given.');
    expect(field('assessment').value).toBe('Anna: passive SI, no plan.');
    fireEvent.click(screen.getByTestId('risk-save-M2'));
    expect(sessionDoc(doc).risk.get('M2')).toMatchObject({ assessment: 'Anna: passive SI, no plan.', assessmentBy: ANNA, plan: 'Ben: crisis line card given.', planBy: BEN, by: ANNA });
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

/** What `from` has that `to` lacks, delivered as the server would relay it. */
const deliver = (from: Y.Doc, to: Y.Doc) => act(() => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote'));
const save = (doc: Y.Doc, by: string, assessment: string) => act(() => sessionDoc(doc).risk.set('M2', { assessment, plan: `${assessment} plan`, by, at: Date.now() }));

/** Anna's and Ben's pages of one note, each with its own copy, begun from the same record. */
function twoPages(annaClient: number, benClient: number) {
  const anna = new Y.Doc();
  const ben = new Y.Doc();
  anna.clientID = annaClient;
  ben.clientID = benClient;
  save(anna, ANNA, 'First: low risk.');
  deliver(anna, ben);
  const annaView = render(<Panel doc={anna} me={ANNA} />);
  return { anna, ben, annaView, annaPage: within(annaView.container), benPage: within(render(<Panel doc={ben} me={BEN} />).container) };
}

const ANNAS = 'Anna: moderate risk, means removed.';
const BENS = 'Ben offline: low risk.';

/**
 * Anna and Ben each save the record without having seen the other's save, then both saves reach
 * both pages; which one Yjs keeps follows the client ids. `lost`: the page whose save was dropped.
 */
function concurrentSaves(annaClient: number, benClient: number) {
  const pages = twoPages(annaClient, benClient);
  const { anna, ben, annaPage, benPage } = pages;
  save(anna, ANNA, ANNAS);
  save(ben, BEN, BENS);
  deliver(ben, anna);
  deliver(anna, ben);
  const kept = sessionDoc(anna).risk.get('M2')!;
  const annaLost = { page: annaPage, doc: anna, words: ANNAS };
  const benLost = { page: benPage, doc: ben, words: BENS };
  const [lost, won] = kept.by === ANNA ? [benLost, annaLost] : [annaLost, benLost];
  return { ...pages, kept, lost, won };
}

// Leftover of the 5 Dec walk: Yjs keeps one of two concurrent writes to a map key, so a record saved
// on a page that was offline replaced the co-therapist's newer one whole, or lost to it, unseen.
describe('a risk save replaced by one made without seeing it', () => {
  for (const [annaClient, benClient] of [[1, 2], [2, 1]] as const) {
    it(`is shown to the one whose save the note lost (client ids ${annaClient}, ${benClient})`, () => {
      const { ben, kept, lost, won } = concurrentSaves(annaClient, benClient);
      // Which save Yjs keeps follows the client ids: each order is run once.
      expect(kept.by).toBe(annaClient > benClient ? ANNA : BEN);
      expect(sessionDoc(ben).risk.get('M2')).toEqual(kept);
      expect(won.page.queryByTestId('risk-replaced-M2')).toBeNull();
      const notice = lost.page.getByTestId('risk-replaced-M2');
      expect(notice.textContent).toContain(`${names[kept.by]}’s save, made without seeing yours`);
      expect(notice.textContent).toContain(lost.words);
    });
  }

  // Walk, 5 Dec: each wrote one part and saved it in the same moment; one part was lost and both
  // were told of a conflict.
  for (const [annaClient, benClient] of [[1, 2], [2, 1]] as const) {
    it(`keeps both parts when each saved only their own at once, and tells nobody of a conflict (client ids ${annaClient}, ${benClient})`, async () => {
      const { anna, ben, annaPage, benPage } = twoPages(annaClient, benClient);
      const first = { assessment: 'Anna: passive SI, no plan.', assessmentBy: ANNA, plan: 'Ben: call the crisis line.', planBy: BEN, by: BEN, at: 1 };
      act(() => sessionDoc(ben).risk.set('M2', first));
      deliver(ben, anna);
      act(() => sessionDoc(anna).risk.set('M2', { ...first, assessment: 'Anna: passive SI, no plan; means removed.', by: ANNA, at: 2 }));
      act(() => sessionDoc(ben).risk.set('M2', { ...first, plan: 'Ben: call the crisis line; see her Friday.', at: 3 }));
      deliver(ben, anna);
      deliver(anna, ben);
      // The page whose save the note lost writes it again over the kept one, having seen it.
      await act(() => Promise.resolve());
      deliver(anna, ben);
      deliver(ben, anna);
      for (const doc of [anna, ben]) {
        expect(sessionDoc(doc).risk.get('M2')).toMatchObject({
          assessment: 'Anna: passive SI, no plan; means removed.', assessmentBy: ANNA, plan: 'Ben: call the crisis line; see her Friday.', planBy: BEN,
        });
      }
      expect(annaPage.queryByTestId('risk-replaced-M2')).toBeNull();
      expect(benPage.queryByTestId('risk-replaced-M2')).toBeNull();
    });
  }

  // Walk, 6 Dec: saved from blank fields, a save of one part names its saver on the other, empty one too.
  for (const [annaClient, benClient] of [[1, 2], [2, 1]] as const) {
    it(`keeps both parts when each saved one part of a new record at once (client ids ${annaClient}, ${benClient})`, async () => {
      const anna = new Y.Doc();
      const ben = new Y.Doc();
      anna.clientID = annaClient;
      ben.clientID = benClient;
      const annaPage = within(render(<Panel doc={anna} me={ANNA} />).container);
      const benPage = within(render(<Panel doc={ben} me={BEN} />).container);
      act(() => sessionDoc(anna).risk.set('M2', { assessment: 'Anna: passive SI.', plan: '', by: ANNA, assessmentBy: ANNA, planBy: ANNA, at: 1 }));
      act(() => sessionDoc(ben).risk.set('M2', { assessment: '', plan: 'Ben: crisis card.', by: BEN, assessmentBy: BEN, planBy: BEN, at: 2 }));
      deliver(ben, anna);
      deliver(anna, ben);
      await act(() => Promise.resolve());
      deliver(anna, ben);
      deliver(ben, anna);
      for (const doc of [anna, ben]) expect(sessionDoc(doc).risk.get('M2')).toMatchObject({ assessment: 'Anna: passive SI.', assessmentBy: ANNA, plan: 'Ben: crisis card.', planBy: BEN });
      expect(annaPage.queryByTestId('risk-replaced-M2')).toBeNull();
      expect(benPage.queryByTestId('risk-replaced-M2')).toBeNull();
    });
  }

  it('puts my words back in the fields beside the record as it is, to save over it knowingly, and the save is not shown as replacing', () => {
    const { lost, won } = concurrentSaves(2, 1);
    fireEvent.click(lost.page.getByTestId('risk-putback-M2'));
    expect(lost.page.queryByTestId('risk-replaced-M2')).toBeNull();
    const assessment = lost.page.getByTestId('risk-assessment-M2') as HTMLTextAreaElement;
    expect(assessment.value).toBe(lost.words);
    // The other's record stays in view until I choose (walk, 5 Dec: it was shown nowhere once mine was put back).
    expect(lost.page.getByTestId('risk-meanwhile-M2').textContent).toContain(won.words);
    expect((lost.page.getByTestId('risk-save-M2') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(lost.page.getByTestId('risk-mine-M2'));
    deliver(lost.doc, won.doc);
    expect(sessionDoc(won.doc).risk.get('M2')?.assessment).toBe(lost.words);
    // Written after seeing the other's save: an ordinary change there, not a replacement.
    expect(won.page.queryByTestId('risk-replaced-M2')).toBeNull();
  });

  it('goes when I keep theirs', () => {
    const { lost } = concurrentSaves(1, 2);
    fireEvent.click(lost.page.getByTestId('risk-keep-M2'));
    expect(lost.page.queryByTestId('risk-replaced-M2')).toBeNull();
  });

  it('is not shown for saves made after seeing mine, even several arriving at once', () => {
    const { anna, ben, annaPage } = twoPages(1, 2);
    save(anna, ANNA, 'Anna: moderate risk.');
    deliver(anna, ben);
    save(ben, BEN, 'Ben: moderate risk, reviewed.');
    save(ben, BEN, 'Ben: moderate risk, reviewed twice.');
    deliver(ben, anna);
    expect(sessionDoc(anna).risk.get('M2')?.assessment).toBe('Ben: moderate risk, reviewed twice.');
    expect(annaPage.queryByTestId('risk-replaced-M2')).toBeNull();
  });

  it('stays through a reload of the note (a new doc, after a refused write) and of the browser tab, until answered', () => {
    const { anna, ben, annaView, annaPage } = twoPages(1, 2);
    save(anna, ANNA, 'Anna offline: low risk.');
    save(ben, BEN, 'Ben: moderate risk.');
    deliver(ben, anna);
    expect(annaPage.getByTestId('risk-replaced-M2').textContent).toContain('Anna offline: low risk.');

    const reloaded = new Y.Doc();
    deliver(ben, reloaded);
    annaView.rerender(<Panel doc={reloaded} me={ANNA} />);
    expect(annaPage.getByTestId('risk-replaced-M2').textContent).toContain('Anna offline: low risk.');
    expect((annaPage.getByTestId('risk-assessment-M2') as HTMLTextAreaElement).value).toBe('Ben: moderate risk.');

    // The tab reloaded: a new page, whose doc holds only the record as stored (walk, 5 Dec: the words were gone).
    annaView.unmount();
    const tab = new Y.Doc();
    deliver(ben, tab);
    const again = within(render(<Panel doc={tab} me={ANNA} />).container);
    expect(again.getByTestId('risk-replaced-M2').textContent).toContain('Anna offline: low risk.');
    fireEvent.click(again.getByTestId('risk-keep-M2'));
    expect(again.queryByTestId('risk-replaced-M2')).toBeNull();
    expect(readKeptWords(ANNA, SESSION).replacedRisk).toEqual({});
  });
});

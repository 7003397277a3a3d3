import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CollabStatus, ExternalStore, SaveView } from '../../client/collab/useCollabDoc';
import { ConnectionNotices } from '../../client/features/sessions/ConnectionNotices';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const offlineView: SaveView = { kind: 'ready', save: 'offline', unconfirmed: false };
const offline: ExternalStore<SaveView> = { subscribe: () => () => undefined, getSnapshot: () => offlineView };

function ready(crowded: boolean, keptOffline: string[] | null = null, liveInterrupted = false): CollabStatus {
  return {
    kind: 'ready',
    doc: new Y.Doc(),
    // The notices read nothing of the provider; the status carries it for the editor.
    provider: {} as WebsocketProvider,
    synced: false,
    access: { canWrite: true, role: 'therapist', reason: null },
    refusal: null,
    idTaken: false,
    setAside: null,
    keptOffline,
    isOffline: () => false,
    editLimit: { bytes: () => 10_485_760, setAside: () => undefined },
    sessionChanges: 0,
    crowded,
    liveInterrupted,
  };
}

describe('ConnectionNotices', () => {
  const noop = () => undefined;
  const noSetAside = { entries: [], forget: noop };
  const renderWith = (status: CollabStatus) =>
    render(<ConnectionNotices status={status} saveState={offline} onDismissRefusal={noop} setAside={noSetAside} onDismissKeptOffline={noop} onReloadNote={async () => undefined} unsavedOnReload={null} onDismissUnsavedOnReload={noop} />);

  // A clinician walk, 1 Dec: a tab past the server's sockets per person on a note showed only "offline".
  it('says why a tab is not connected when the person has the note open in too many tabs, and what to do', () => {
    renderWith(ready(true));
    const notice = screen.getByTestId('crowded-notice');
    expect(notice.textContent).toContain('open in too many of your tabs or devices');
    expect(notice.textContent).toContain('Close one of the others');
    expect(notice.textContent).toContain('kept on this device');
  });

  it('says nothing of it otherwise', () => {
    renderWith(ready(false));
    expect(screen.queryByTestId('crowded-notice')).toBeNull();
    expect(screen.queryByTestId('kept-offline-notice')).toBeNull();
    expect(screen.queryByTestId('live-interrupted-notice')).toBeNull();
  });

  // Operator fault test, 2 Dec: in a Redis silence of 4 minutes the co-therapist's edits did not
  // arrive, and nothing on either page said so.
  it('says when the server cannot share edits live with the other servers, and that what is written is saved', () => {
    renderWith(ready(false, null, true));
    const notice = screen.getByTestId('live-interrupted-notice');
    expect(notice.textContent).toContain('Live sharing between Tandem’s servers is interrupted');
    expect(notice.textContent).toContain('Everything you write is saved');
  });

  it('quotes the words typed offline that were put back in lines of their own, five at most, and counts the rest', () => {
    renderWith(ready(false, ['Wakes at four.']));
    expect(screen.getByTestId('kept-offline-notice').textContent).toContain("in a line of its own right after your co-therapist’s version of that line");
    expect(screen.getAllByTestId('kept-offline-line').map((q) => q.textContent)).toEqual(['Wakes at four.']);
    cleanup();
    renderWith(ready(false, Array.from({ length: 7 }, (_, i) => `Line ${i + 1}.`)));
    expect(screen.getByTestId('kept-offline-notice').textContent).toContain('in lines of their own');
    expect(screen.getAllByTestId('kept-offline-line')).toHaveLength(5);
    expect(screen.getByTestId('kept-offline-notice').textContent).toContain('and 2 more lines.');
  });
  it('shows the words a reload dropped, copies them, and each notice says "Copied" for its own words only', async () => {
    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => void written.push(t) }, configurable: true });
    let dismissed = 0;
    const setAside = { entries: [{ key: 1, at: 1, text: 'A pasted handout', size: 20_000_000, limit: 10_485_760 }], forget: noop };
    render(
      <ConnectionNotices status={ready(false)} saveState={offline} onDismissRefusal={noop} setAside={setAside} onDismissKeptOffline={noop} onReloadNote={async () => undefined} unsavedOnReload={{ text: 'M2 left early.\nPlan: call on Friday.', idTaken: false }} onDismissUnsavedOnReload={() => void dismissed++} />,
    );
    const notice = screen.getByTestId('unsaved-on-reload-notice');
    expect(screen.getByTestId('unsaved-on-reload-text').textContent).toBe('M2 left early.\nPlan: call on Friday.');
    fireEvent.click(screen.getByRole('button', { name: 'Copy the words' }));
    await waitFor(() => expect(written).toEqual(['M2 left early.\nPlan: call on Friday.']));
    await waitFor(() => expect(notice.textContent).toContain('Copied'));
    expect(screen.getByTestId('set-aside-notice').textContent).toContain('Copy its text');
    fireEvent.click(notice.querySelector('.link-button')!);
    expect(dismissed).toBe(1);
  });
  it('says why a reload it made by itself was made: this device’s client id held for another person', () => {
    render(
      <ConnectionNotices status={ready(false)} saveState={offline} onDismissRefusal={noop} setAside={noSetAside} onDismissKeptOffline={noop} onReloadNote={async () => undefined} unsavedOnReload={{ text: 'Typed offline.', idTaken: true }} onDismissUnsavedOnReload={noop} />,
    );
    const notice = screen.getByTestId('unsaved-on-reload-notice').textContent;
    expect(notice).toContain('under an id the server holds for another person');
    expect(notice).toContain('Typed offline.');
  });
});


/**
 * The one hook that owns a session's collaborative document: it creates the Y.Doc, the websocket
 * provider and the IndexedDB copy when the editor page opens, tears them down when it closes,
 * and returns a status union the page renders by.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { AccountView } from '../../shared/domain/account';
import { ApiError } from '../api/http';
import { fetchSession } from '../api/sessions';
import { useKeptWords } from '../offline/keptWords';
import { useSetAside, type SetAsideChanges } from './useSetAside';
import { CollabConnection, type Access, type AccessProbe, type CollabStatus, type ExternalStore, type SaveView } from './CollabConnection';

export type { Access, CollabStatus, ExternalStore, SaveView } from './CollabConnection';

export interface UseCollabDocOptions {
  sessionId: string;
  account: AccountView;
  /** This person's presence colour in this session (distinct from the co-therapist's). */
  color: string;
  initialAccess: Access;
}

/** What a reload of the note dropped that the server had not stored, and whether it was done because this device's client id was taken. */
export interface UnsavedOnReload {
  text: string;
  idTaken: boolean;
}

export interface CollabDoc {
  status: CollabStatus;
  /** The save badge's state: read it with `useSaveView` in the component that shows it. */
  saveState: ExternalStore<SaveView>;
  dismissRefusal(): void;
  /** The changes too large to save, kept on this device until the person removes them. */
  setAside: SetAsideChanges;
  dismissKeptOffline(): void;
  /** Throws away this browser's copy of the note and loads it again from the server. */
  reloadNote(): Promise<void>;
  /** What this device had typed that the server had not stored when the note was loaded again (to copy back), or null. */
  unsavedOnReload: UnsavedOnReload | null;
  dismissUnsavedOnReload(): void;
}

const LOADING: CollabStatus = { kind: 'loading', awaitingServer: false };
const noopSubscribe = () => () => undefined;
const SAVE_LOADING: SaveView = { kind: 'loading' };
/** Until the connection exists: says "Opening…" and never changes. */
const LOADING_SAVE_STATE: ExternalStore<SaveView> = { subscribe: noopSubscribe, getSnapshot: () => SAVE_LOADING };

async function probeSessionAccess(sessionId: string): Promise<AccessProbe> {
  try {
    await fetchSession(sessionId);
    return 'ok';
  } catch (err) {
    if (!(err instanceof ApiError)) return 'unknown';
    if (err.status === 401) return 'unauthorized';
    if (err.status === 403 || err.status === 404) return 'forbidden';
    return 'unknown';
  }
}

export function useCollabDoc({ sessionId, account, color, initialAccess }: UseCollabDocOptions): CollabDoc {
  const [connection, setConnection] = useState<CollabConnection | null>(null);
  /** Bumped to open a fresh connection (after the local copy was discarded). */
  const [generation, setGeneration] = useState(0);
  const { id: accountId, name } = account;
  // Kept on the device until dismissed: a reload of the tab lost the only copy of these words (walk, 5 Dec).
  const [unsavedOnReload, updateUnsaved] = useKeptWords(accountId, sessionId, 'unsavedOnReload');

  // The first colour only: a later change (members joining or leaving) is announced below,
  // without tearing the note's connection down.
  const firstColor = useRef(color);
  useEffect(() => {
    const conn = new CollabConnection({
      sessionId,
      accountId,
      user: { name, color: firstColor.current },
      initialAccess,
      probeAccess: () => probeSessionAccess(sessionId),
    });
    setConnection(conn);
    return () => {
      setConnection(null);
      conn.destroy();
    };
    // initialAccess is only a starting guess: a new object must not rebuild the connection.
  }, [sessionId, accountId, name, generation]);

  useEffect(() => {
    connection?.setUser({ name, color });
  }, [connection, name, color]);

  const status = useSyncExternalStore(
    connection?.subscribe ?? noopSubscribe,
    connection?.getSnapshot ?? (() => LOADING),
  );
  const setAside = useSetAside(accountId, sessionId, status.kind === 'ready' ? status.setAside : null);
  const reload = async (idTaken: boolean) => {
    const text = (await connection?.discardLocalCopy()) ?? '';
    // Words a reload before this one dropped and not yet dismissed stay with these.
    updateUnsaved((earlier) => {
      const all = [earlier?.text ?? '', text].map((t) => t.trim()).filter(Boolean).join('\n');
      return all === '' ? earlier : { text: all, idTaken: idTaken || Boolean(earlier?.idTaken) };
    });
    setGeneration((g) => g + 1);
  };

  // Storage bound this page's Yjs client id to another account (possible only while a server was
  // cut off from the others): everything typed under it is refused, so waiting for a click lost
  // each word typed meanwhile (re-check, 4 Dec). A new load writes under a new id at once and
  // shows the refused words to copy back.
  const idTaken = status.kind === 'ready' && status.idTaken;
  useEffect(() => {
    if (idTaken) void reload(true);
    // Once per refusal: reload is a new function each render, and the new connection starts without it.
  }, [idTaken]);

  return {
    status,
    saveState: connection?.saveState ?? LOADING_SAVE_STATE,
    dismissRefusal: () => connection?.dismissRefusal(),
    setAside,
    dismissKeptOffline: () => connection?.dismissKeptOffline(),
    reloadNote: () => reload(false),
    unsavedOnReload,
    dismissUnsavedOnReload: () => updateUnsaved(() => null),
  };
}

import { isStored, type StoredState } from '../../shared/protocol/storedState';

/**
 * What the header says about the note. "Saved" is a promise that nothing on this screen would be
 * lost if this device died now, so it is derived strictly from what the server says it stored.
 */

/**
 * One of the five things the person needs to know, plus the brief moment before the first
 * connection, and `editing`: the latest edits have just been sent (less than a moment ago) and
 * are not confirmed yet. It keeps the badge still while someone types against a server that keeps up.
 */
export type SaveState = 'connecting' | 'saved' | 'editing' | 'saving' | 'offline' | 'failed' | 'readonly';

/** Where the websocket stands: `offline` once a connection was lost or could not be made. */
export type ConnectionState = 'connecting' | 'connected' | 'offline';

export interface SaveInputs {
  canWrite: boolean;
  connection: ConnectionState;
  synced: boolean;
  saveFailed: boolean;
  local: Pick<StoredState, 'stateVector' | 'deletions'>;
  stored: StoredState;
}

/** The single place the save badge's state is decided, most important condition first. */
export function deriveSaveState(s: SaveInputs): SaveState {
  if (!s.canWrite) return 'readonly';
  if (s.connection === 'offline') return 'offline';
  if (s.connection === 'connecting') return 'connecting';
  if (s.saveFailed) return 'failed';
  if (!s.synced) return 'saving';
  return isStored(s.local, s.stored) ? 'saved' : 'saving';
}

/** The words shown for each state (the badge and tests read these). */
export const saveStateLabel: Record<SaveState, string> = {
  connecting: 'Connecting…',
  saved: 'Saved',
  editing: 'Editing',
  saving: 'Saving…',
  offline: 'Offline — kept on this device',
  failed: 'Not saved — retrying',
  readonly: 'Read-only',
};

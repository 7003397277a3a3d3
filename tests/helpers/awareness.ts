import type { TestClient } from './connectClient';

export interface PresenceState {
  user?: { name: string; color: string; role: string; accountId: string };
  cursor?: unknown;
}

/** The presence states a client currently sees of others. */
export function awarenessStatesOf(client: TestClient): PresenceState[] {
  const { awareness } = client.provider;
  return Array.from(awareness.getStates().entries())
    .filter(([id]) => id !== awareness.clientID)
    .map(([, s]) => s as PresenceState);
}

/** A caret as the collaboration-caret extension announces it: Yjs relative positions. */
export function caretAt(client: number, anchorClock: number, headClock = anchorClock) {
  const at = (clock: number) => ({ type: null, tname: 'note', item: { client, clock }, assoc: 0 });
  return { anchor: at(anchorClock), head: at(headClock) };
}

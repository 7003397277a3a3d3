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

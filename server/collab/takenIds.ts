import type { Connection } from './Connection';
import * as wire from './wire';

/**
 * What a page is told as it joins a note when Yjs client ids its device wrote under
 * (Connection.deviceClients) are another account's, bound to it or announced by it (`holderOf`):
 * a `client_id_taken` refusal naming them, sent before any of the note, so the page takes in none
 * of the other's items under those ids and loads the note again under a new one
 * (shared/protocol/deviceClients.ts). Nothing when none are.
 */
export function takenIdsNotice(conn: Connection, holderOf: (clientId: number) => string | null): Uint8Array[] {
  const me = conn.principal.accountId;
  const clients = conn.deviceClients.filter((c) => {
    const holder = holderOf(c);
    return holder !== null && holder !== me;
  });
  if (clients.length === 0) return [];
  const message = 'This device wrote part of the note under an id the server holds for another person, so that part was not saved.';
  return [wire.encodeNotice({ type: 'refused', code: 'client_id_taken', message, clients })];
}

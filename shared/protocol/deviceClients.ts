/**
 * The Yjs client ids a page's device wrote a note under (this page's and the earlier pages' whose
 * words its copy holds), named in the websocket URL's `ids` parameter, dot-separated. The server
 * answers with a `client_id_taken` refusal naming those bound to (or announced by) another
 * account, before it sends any of the note: the page must then not take in the note's items under
 * them, which Yjs would splice into its own words as if they were the same items (re-check,
 * 4 Dec: storage that never kept a page's announcement let the co-therapist bind its id).
 */
export const DEVICE_CLIENTS_PARAM = 'ids';

/** How many ids a device keeps per note (client/collab/localCopies.ts) and a page names. */
export const MAX_DEVICE_CLIENTS = 256;

/** Yjs client ids are unsigned 32-bit integers (lib0 random.uint32). */
const CLIENT_ID = /^(0|[1-9]\d{0,9})$/;

/** The parameter's value for these ids. */
export function formatDeviceClients(ids: readonly number[]): string {
  return ids.slice(-MAX_DEVICE_CLIENTS).join('.');
}

/**
 * The ids a URL's parameter names: [] without one, null when it is malformed (not dot-separated
 * 32-bit unsigned integers, or more than MAX_DEVICE_CLIENTS of them).
 */
export function parseDeviceClients(value: string | null): number[] | null {
  if (value === null || value === '') return [];
  const parts = value.split('.');
  if (parts.length > MAX_DEVICE_CLIENTS || !parts.every((p) => CLIENT_ID.test(p))) return null;
  const ids = parts.map(Number);
  return ids.every((id) => id <= 0xffff_ffff) ? [...new Set(ids)] : null;
}

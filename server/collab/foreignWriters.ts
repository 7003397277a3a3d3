import type { KnownState, UpdateFacts } from './updateFacts';

/**
 * Client ids in an update that belong to another account, or to the server: its own, and any
 * unbound id the note already has items of (an earlier load's server id, the template's). An id
 * is bound to the account that first wrote under it (`clientAccounts`); `announcerOf` names the
 * account whose page announced an id in presence (NotePresence.announcerOf).
 */
export function foreignWriters(
  note: { readonly clientAccounts: ReadonlyMap<number, string>; readonly serverClient: number; known(): KnownState },
  conn: { principal: { accountId: string } },
  facts: UpdateFacts,
  announcerOf: (clientId: number) => string | null,
): number[] {
  const known = note.known();
  return [...facts.writers].filter((c) => {
    const owner = note.clientAccounts.get(c);
    if (owner !== undefined) return owner !== conn.principal.accountId;
    // An id someone else's page announced is theirs before its first edit: a structure written
    // under it (even a GC range, which shows nothing) would take the clocks their offline edits
    // need, and those would then be dropped as already known while "Saved" covered them.
    const announcer = announcerOf(c);
    if (announcer !== null && announcer !== conn.principal.accountId) return true;
    return c === note.serverClient || known.clock(c) > 0;
  });
}

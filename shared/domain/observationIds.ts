/**
 * Observation ids that say whose they are. An observation's id is its key in the note's
 * `observations` map, and two writes of one key keep only one value (Yjs: the higher client id's).
 * The write gate refuses a write over an observation it knows, but a process that could not hear of
 * the co-therapist's new observation (its Redis away) judged a write of that very key, learnt from
 * a page on another process, as a new one: once the processes met again, hers had replaced his
 * (attack, 4 Dec). An id made here carries its author's tag, and the gate lets only that author
 * write a new observation under it, so no two people's observations can share a key, whatever
 * each process knew.
 *
 * Shape: a version 8 UUID (RFC 9562's for ids laid out by their maker) whose first group is the
 * author's tag (8 hex digits, see accountTag), the rest random. Random (version 4) ids, made before
 * or by the server, never have version 8: they name no author and are judged as before. (A mark in
 * a random group instead was found in one random id in 65,536: 1,000 observations of a test hit it.)
 */

/** The version digit of an id made by observationIdFor (the 15th character). */
const OWNED_VERSION = '8';

/** 8 hex digits from an account id (FNV-1a, 32 bits): not secret, only to tell authors apart. */
export function accountTag(accountId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) {
    hash ^= accountId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** A new observation id of `accountId`'s, from a random version 4 UUID (`random`: its randomness and variant are kept). */
export function observationIdFor(accountId: string, random: string): string {
  return `${accountTag(accountId)}${random.slice(8, 14)}${OWNED_VERSION}${random.slice(15)}`;
}

/** The author tag an id carries (observationIdFor), or null for an id that names nobody. */
export function observationIdTag(id: string): string | null {
  return id.length === 36 && id[14] === OWNED_VERSION ? id.slice(0, 8) : null;
}

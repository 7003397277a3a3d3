import * as Y from 'yjs';
import type { FlagResponse, LateEntry, Observation, ServerStamp } from '../domain/observation';
import type { RiskEntry } from '../domain/risk';
import type { CarriedWords } from '../note/carriedWords';
import type { ExtentChange } from '../note/extentChanges';
import type { FormattedWords } from '../note/formattedWords';
import type { StruckWords } from '../note/struckWords';

/** Name of the Y.XmlFragment that holds the note's rich text (Tiptap's Collaboration field). */
export const NOTE_FIELD = 'note';
/** Observation records by id; the text they tag carries an `observation` mark with that id. */
export const OBSERVATIONS = 'observations';
/** Answers to flags, by observation id. */
export const RESPONSES = 'responses';
/** Each group member's risk assessment and plan, by label (`shared/domain/risk.ts`). */
export const RISK = 'risk';
/** Server-written: ranges typed after the session ended. */
export const LATE_ENTRIES = 'lateEntries';
/**
 * Server-written: when the server received each observation and answer (key `observation:<id>` or
 * `response:<id>`). Device clocks drift and can be set to anything, so review, ordering and
 * late-entry marks use these times, never the ones a client wrote.
 */
export const STAMPS = 'stamps';

/**
 * Server-written: another's words a therapist deleted, kept to be shown struck through (key
 * `<client>:<clock>` of the first character; `shared/note/struckWords.ts`).
 */
export const STRUCK = 'struck';
/**
 * Server-written: new characters that carry another's moved words (key `<client>:<clock>`;
 * `shared/note/carriedWords.ts`).
 */
export const CARRIED = 'carried';
/**
 * Server-written: another's words whose formatting a therapist changed (key
 * `<client>:<clock>:<len>:<mark>`; `shared/note/formattedWords.ts`).
 */
export const FORMATTED = 'formatted';
/**
 * Server-written: observations whose quoted words another therapist changed, by observation id
 * (`shared/note/extentChanges.ts`).
 */
export const EXTENTS = 'extents';

/** Root maps only the server writes. */
export const SERVER_MAPS = [LATE_ENTRIES, STAMPS, STRUCK, CARRIED, FORMATTED, EXTENTS] as const;
/** Root maps whose writes the server checks entry by entry. */
export const WATCHED_MAPS = [OBSERVATIONS, RESPONSES, RISK, ...SERVER_MAPS] as const;

/** Name of the Tiptap mark that ties a span of text to an observation. */
export const OBSERVATION_MARK = 'observation';
/** Name of the inline node that marks a group member the text concerns (attribute `id`: their label). */
export const MENTION_NODE = 'mention';

/** Typed access to a session's Y.Doc. */
export function sessionDoc(doc: Y.Doc) {
  return {
    note: doc.getXmlFragment(NOTE_FIELD),
    observations: doc.getMap<Observation>(OBSERVATIONS),
    responses: doc.getMap<FlagResponse>(RESPONSES),
    risk: doc.getMap<RiskEntry>(RISK),
    lateEntries: doc.getMap<LateEntry>(LATE_ENTRIES),
    stamps: doc.getMap<ServerStamp>(STAMPS),
    struck: doc.getMap<StruckWords>(STRUCK),
    carried: doc.getMap<CarriedWords>(CARRIED),
    formatted: doc.getMap<FormattedWords>(FORMATTED),
    extents: doc.getMap<ExtentChange>(EXTENTS),
  };
}

/** The key of an observation's or an answer's server stamp in the `stamps` map. */
export const stampKey = (map: typeof OBSERVATIONS | typeof RESPONSES, id: string): string =>
  `${map === OBSERVATIONS ? 'observation' : 'response'}:${id}`;

/**
 * When the server received an observation or an answer (ms), and whether after the end. Notes
 * written before the server stamped times fall back to the device's time, never later than now.
 */
export function receivedAt(doc: Y.Doc, map: typeof OBSERVATIONS | typeof RESPONSES, id: string, deviceAt: number): { at: number; late: boolean } {
  const stamp = sessionDoc(doc).stamps.get(stampKey(map, id));
  return stamp ? { at: stamp.at, late: stamp.late } : { at: Math.min(deviceAt, Date.now()), late: false };
}

/**
 * When the server received the latest save of a member's risk record (ms; key `risk:<label>` in
 * `stamps`). Records saved before the server stamped them fall back to the device's time, never
 * later than now. A record carried into another note (a member note) takes this time with it.
 */
export function riskReceivedAt(doc: Y.Doc, member: string, deviceAt: number): number {
  return sessionDoc(doc).stamps.get(`risk:${member}`)?.at ?? Math.min(deviceAt, Date.now());
}

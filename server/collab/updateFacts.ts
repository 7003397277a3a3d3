import type * as Y from 'yjs';
import type { FormatChange } from './formatChanges';
import type { ExtentMove } from './observationExtents';
import type { MarkedRange } from './wordMarks';

/** A Yjs item id as plain numbers (facts may cross to a worker thread). */
export interface ItemId {
  client: number;
  clock: number;
}

/** One value an update writes under a key of a watched root map (every value, not only the last). */
export interface MapWrite {
  map: string;
  key: string;
  value: unknown;
  client: number;
  /** The value's own id. */
  id: ItemId;
  /**
   * The value the writer saw under the key when writing (its Yjs item `origin`; null: none). Yjs
   * places a write after what it saw, so only a write whose origins lead to the value now shown
   * takes that value's place; another can land before it and be dropped at once.
   */
  origin: ItemId | null;
  /** The update's own delete set removes this value: it never shows (guards.ts `rewrites`). */
  gone: boolean;
}

/** A key's visible value that an update would remove (by deleting it, or by a deleted value put after it). */
export interface MapDelete {
  map: string;
  key: string;
  /** Client id that wrote the value being removed. */
  client: number;
  /** The id of the value being removed (the last of its Yjs item). */
  id: ItemId;
}

/** What an update would do to the note, decoded without applying it. */
export interface UpdateFacts {
  /** Client ids of the items the update inserts (deletions carry no author). */
  writers: Set<number>;
  /** Ranges of new items: who wrote how much, for attestation and late-entry labels. */
  inserted: { client: number; clock: number; len: number }[];
  /** Whether applying it would change the document at all. */
  changesDoc: boolean;
  /** How many new items (not placeholders, which Yjs merges) it lists: each is an entry Yjs keeps (writerLimits.ts). */
  newItems: number;
  /**
   * Per Yjs client id, at most how many times applying it would split or merge that client's items
   * already in the note: an inserted item next to a place inside one, a deletion range's ends
   * inside one, and a merge per deletion range. Yjs splices the client's whole list of items for
   * each (writerLimits.ts, scatterGuard).
   */
  splitPoints: Map<number, number>;
  /**
   * False when Yjs would park part of it as pending: a struct or deletion that depends on clocks
   * the note does not have yet. Such an update is never applied as it is; nothing in it has been
   * judged (its effects depend on the parts still missing).
   */
  complete: boolean;
  /** Client ids whose structs start beyond the note's clock for them (a gap, not a missing reference). */
  gaps: Set<number>;
  /**
   * Client ids whose clocks the update deletes beyond any the note or the update itself reaches:
   * words nobody has written yet (writeGate refuses that of another's client id).
   */
  deletesAhead: Set<number>;
  /** Every value written to a watched map, in update order. Filled only for complete updates. */
  mapWrites: MapWrite[];
  /** Every visible watched-map value the update would remove. Filled only for complete updates. */
  mapDeletes: MapDelete[];
  /**
   * Every value an update writes to an element's attribute (undefined: removed), in update order.
   * Filled only for complete updates. Guards that need the session (who a mention may name) read it.
   */
  attributeWrites: AttributeWrite[];
  /**
   * Every observation whose mark the update touches (a format item naming it or ending it, added or
   * removed), with what it would newly cover or may uncover (markCoverage.ts). Filled only for
   * complete updates.
   */
  observationMarks: ObservationMarkWrite[];
  /**
   * The update writes an observation's mark and some new item of it would not go where it names
   * (namedPlacement.ts): `observationMarks` is then no reading to trust, and the guard judges on a copy.
   */
  marksUnsure: boolean;
  /**
   * Every visible character of the note's text the update deletes, whatever deletes it (its own id
   * in the delete set, or a line or block around it), as runs of one writer (struckWords.ts).
   * Filled only for complete updates.
   */
  deletedText: DeletedRun[];
  /**
   * Words already in the note whose formatting (a mark other than the observation's) the update
   * changed. Filled by the apply stage, from the applied transaction: only the integrated update
   * shows exactly which characters' formats change (formatChanges.ts).
   */
  formatted: FormatChange[];
  /**
   * How every character the update deletes looked (its marks), filled by the apply stage from the
   * transaction: a move is carried to its writer only if the copy looks the same (wordMarks.ts).
   */
  deletedLooks: MarkedRange[];
  /**
   * New characters that carry words the update moved (a line split or joined, an undo), filled
   * after apply by the struck-words step (struckWords.ts): they keep the labels of the words they
   * carry, and are no late entry of the mover's.
   */
  moved: { client: number; clock: number; len: number }[];
  /**
   * Observations whose quoted words the update changed, filled by the apply stage from the applied
   * transaction (observationExtents.ts); of a big update applied in pieces, each piece's own.
   */
  extents: ExtentMove[];
  /** Why the update's content is not something the note may hold; null when it is. */
  problem: string | null;
}

/** A new opening of an observation's mark in the text. */
export interface ObservationMarkWrite {
  /** The observation the mark names. */
  id: string;
  /** Characters already in the note, not under this observation before, that would be under it. */
  existingChars: number;
  /** The update's own characters an opening of the mark puts under it (a paste or a moved line copies words already under it). */
  newText: string;
  /** Whether the update may take the observation off words it covers (a new ending inside it, or its opening removed). */
  uncovers: boolean;
  /** Words under the observation that the update deletes from the note, with their ids (removedWords.ts). */
  removed: RemovedRun[];
}

/** Characters of the note, by the Yjs id of the first: `text` ran from `clock` on under `client`. */
export interface RemovedRun {
  client: number;
  clock: number;
  text: string;
}

/**
 * Characters of the note an update deletes: `text` from `clock` on under `client`, with the
 * outermost element the update deletes around them (null when their line stays), the place of
 * their text node in that element (`line`) and of the run among its runs (`seq`). `earlier` > 0
 * marks characters deleted before (`text` is empty), inside such an element or right before a
 * deleted run: where words struck earlier stood, which move with the element, or which an undo
 * writes again with the words around them.
 */
export interface DeletedRun extends RemovedRun {
  block: { client: number; clock: number } | null;
  line: number;
  seq: number;
  earlier: number;
  /**
   * The visible character before the run in reading order, before the update (readingOrder.ts):
   * words written again after the same character in the same update were moved, not deleted.
   */
  after: { client: number; clock: number } | null;
  /** A member mention (one element, `text` its "@label"), not characters. */
  mention?: true;
  /** In a heading (a template's section title, when the server wrote it). */
  inHeading?: true;
  /**
   * How many characters at the run's end the update's delete set does not name: they went with an
   * element it deletes, written after its sender last read it (typed into the line while the
   * sender quoted or split it). Absent: none.
   */
  unseen?: number;
}

/** One value written to an attribute of an element of the note. */
export interface AttributeWrite {
  node: string;
  attribute: string;
  value: unknown;
  /** Yjs id of the element already in the note; null when the update writes the element too. */
  element: { client: number; clock: number } | null;
}

/**
 * The note an update is compared with. Clocks and deletions come from the Y.Doc or, for a note
 * not rebuilt yet, from its stored snapshot's meta; `doc()` is only called to look up an item.
 */
export interface KnownState {
  /** The next clock the note expects from `client`. */
  clock(client: number): number;
  /**
   * Whether every unit of `client`'s clocks in [from, to) is deleted in the note (false when part
   * of the range is beyond what the note has).
   */
  isDeleted(client: number, from: number, to: number): boolean;
  doc(): Y.Doc;
}

/** Where the note's content may go, and what each place may hold. */
export interface NoteShape {
  /** Root maps whose writes are judged value by value. */
  watchedMaps: readonly string[];
  /** The root XmlFragment with the rich text. */
  textRoot: string;
  /** Why an element's attribute value is refused (undefined value: removed), or null. */
  attributeProblem(node: string, attribute: string, value: unknown): string | null;
  /** Why a mark (a formatting attribute in text) is refused, or null. */
  markProblem(mark: string, value: unknown): string | null;
  /** The mark that ties text to an observation record by its id. */
  observationMark: string;
  /** Whether an element of this name may be in the note. */
  isNode(name: string): boolean;
  /** Why a node (or `#text`, a run of text) may not be inside `parent` (`doc`: the note's root), or null. */
  childProblem(parent: string, child: string): string | null;
}

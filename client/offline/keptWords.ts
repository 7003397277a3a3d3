/**
 * Words the server never stored that a page of a note shows to copy back or put back, kept in this
 * browser's localStorage (one key per account and note) until the person answers the notice: the
 * unsaved words a reload of the note dropped (useCollabDoc), and my risk saves another's replaced
 * (useReplacedRiskSaves). Held in the page alone, a reload of the browser tab or a closed tab lost
 * them without a trace (walk, 5 Dec). Like a copy of a note holding unconfirmed edits, they are
 * not cleared at logout: they are the only place those words are. Reading never throws: storage
 * that cannot be read, or a record that does not parse, is nothing kept.
 */
import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import { riskEntrySchema, type RiskEntry } from '../../shared/domain/risk';

const unsavedSchema = z.object({ text: z.string(), idTaken: z.boolean() });

export interface KeptWords {
  /** What a reload of the note dropped that the server had not stored, and whether the device's client id was taken. */
  unsavedOnReload: z.infer<typeof unsavedSchema> | null;
  /** My replaced risk records, by member label. */
  replacedRisk: Record<string, RiskEntry>;
}

const keyOf = (accountId: string, sessionId: string) => `tandem-kept:${accountId}:${sessionId}`;
const NOTHING: KeptWords = { unsavedOnReload: null, replacedRisk: {} };

/**
 * What is kept, part by part and record by record: a part that does not parse (a damaged or
 * foreign value) costs only itself (attack, 5 Dec: one bad risk entry hid the unsaved words).
 * `intact`: every part parsed.
 */
function read(raw: string | null): { kept: KeptWords; intact: boolean } {
  if (raw === null) return { kept: NOTHING, intact: true };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { kept: NOTHING, intact: false };
  }
  if (typeof value !== 'object' || value === null) return { kept: NOTHING, intact: false };
  const { unsavedOnReload = null, replacedRisk = {} } = value as Record<string, unknown>;
  const unsaved = unsavedOnReload === null ? null : (unsavedSchema.safeParse(unsavedOnReload).data ?? null);
  const isRecord = typeof replacedRisk === 'object' && replacedRisk !== null && !Array.isArray(replacedRisk);
  const entries = isRecord ? Object.entries(replacedRisk) : [];
  const risk = entries.flatMap(([member, entry]): [string, RiskEntry][] => {
    const parsed = riskEntrySchema.safeParse(entry);
    return parsed.success ? [[member, parsed.data]] : [];
  });
  const intact = (unsavedOnReload === null || unsaved !== null) && isRecord && risk.length === entries.length;
  return { kept: { unsavedOnReload: unsaved, replacedRisk: Object.fromEntries(risk) }, intact };
}

const stored = (key: string): string | null => {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
};

export function readKeptWords(accountId: string, sessionId: string): KeptWords {
  return read(stored(keyOf(accountId, sessionId))).kept;
}

/**
 * Replaces one part of what is kept for the note (the rest stays). A kept value that did not all
 * parse is first put aside whole under `<key>:unreadable:<ms>`, never deleted. False when the
 * browser would not store it (full, or storage off): the page then still shows the words, for
 * this load only.
 */
export function keepWords(accountId: string, sessionId: string, change: Partial<KeptWords>): boolean {
  const key = keyOf(accountId, sessionId);
  const raw = stored(key);
  const { kept, intact } = read(raw);
  const next = { ...kept, ...change };
  try {
    if (!intact && raw !== null) window.localStorage.setItem(`${key}:unreadable:${Date.now()}`, raw);
    const empty = next.unsavedOnReload === null && Object.keys(next.replacedRisk).length === 0;
    if (empty) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(next));
    return true;
  } catch {
    return false;
  }
}

/**
 * One part of what is kept for the note, as page state: read when the note or the person changes,
 * written back only when `update` changes it (the value as read is what the device holds).
 * `update` takes the part as it is and returns it as it should be (the same value: no change).
 */
export function useKeptWords<K extends keyof KeptWords>(accountId: string, sessionId: string, part: K): [KeptWords[K], (change: (current: KeptWords[K]) => KeptWords[K]) => void] {
  const [state, setState] = useState(() => readPart(accountId, sessionId, part));
  const current = state.accountId === accountId && state.sessionId === sessionId ? state : readPart(accountId, sessionId, part);
  if (current !== state) setState(current);
  useEffect(() => {
    if (state.changed) keepWords(state.accountId, state.sessionId, { [part]: state.value });
  }, [state, part]);
  const update = useCallback(
    (change: (value: KeptWords[K]) => KeptWords[K]) =>
      setState((s) => {
        const value = change(s.value);
        return value === s.value ? s : { ...s, changed: true, value };
      }),
    [],
  );
  return [current.value, update];
}

function readPart<K extends keyof KeptWords>(accountId: string, sessionId: string, part: K) {
  return { accountId, sessionId, changed: false, value: readKeptWords(accountId, sessionId)[part] };
}

import { afterEach, describe, expect, it } from 'vitest';
import { keepWords, readKeptWords } from '../../client/offline/keptWords';

const ALEX = '8b4f2f86-1f0e-4f59-8d2a-3c1c5d7e9a01';
const SESSION = '5e55e55e-0000-4000-8000-000000000001';
const KEY = `tandem-kept:${ALEX}:${SESSION}`;
const record = { assessment: 'Passive ideation, no plan.', plan: 'Call on Thursday.', by: ALEX, at: 1_796_000_000_000 };

afterEach(() => window.localStorage.clear());

const putAside = () => Object.keys(window.localStorage).filter((k) => k.startsWith(`${KEY}:unreadable:`));

// An attack (5 Dec): one risk entry that did not parse made the whole value unreadable, and the
// page then removed it, with the only copy of unsaved words in it.
describe('the words a page keeps on the device', () => {
  it('are read part by part: a bad entry costs only itself', () => {
    window.localStorage.setItem(KEY, JSON.stringify({ unsavedOnReload: { text: 'The only copy of my words', idTaken: false }, replacedRisk: { M1: { ...record, at: 0 }, M2: record }, extra: 1 }));
    expect(readKeptWords(ALEX, SESSION)).toEqual({ unsavedOnReload: { text: 'The only copy of my words', idTaken: false }, replacedRisk: { M2: record } });
  });

  it('put a value that does not all parse aside whole before writing, never delete it', () => {
    window.localStorage.setItem(KEY, JSON.stringify({ unsavedOnReload: { text: 'The only copy of my words', idTaken: false }, replacedRisk: { M1: { ...record, at: 0 } } }));
    const before = window.localStorage.getItem(KEY);
    expect(keepWords(ALEX, SESSION, { replacedRisk: {} })).toBe(true);
    expect(putAside().map((k) => window.localStorage.getItem(k))).toEqual([before]);
    expect(readKeptWords(ALEX, SESSION).unsavedOnReload?.text).toBe('The only copy of my words');

    window.localStorage.clear();
    window.localStorage.setItem(KEY, 'not json {');
    keepWords(ALEX, SESSION, { unsavedOnReload: null });
    expect(putAside().map((k) => window.localStorage.getItem(k))).toEqual(['not json {']);
    expect(window.localStorage.getItem(KEY)).toBeNull();
  });

  it('go when both parts are answered, and a value that parsed is not put aside', () => {
    keepWords(ALEX, SESSION, { unsavedOnReload: { text: 'Typed offline.', idTaken: false } });
    keepWords(ALEX, SESSION, { replacedRisk: { M2: record } });
    expect(readKeptWords(ALEX, SESSION)).toEqual({ unsavedOnReload: { text: 'Typed offline.', idTaken: false }, replacedRisk: { M2: record } });
    keepWords(ALEX, SESSION, { unsavedOnReload: null });
    keepWords(ALEX, SESSION, { replacedRisk: {} });
    expect(Object.keys(window.localStorage)).toEqual([]);
  });
});

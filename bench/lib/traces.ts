import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type * as Y from 'yjs';

/**
 * Real editing traces from josephg/editing-traces (CC BY 4.0; automerge-paper © Martin Kleppmann
 * via automerge-perf), kept in the repository (bench/traces, with their licence) so that the
 * benchmark and its smoke test read nothing outside it.
 */
export const TRACE_DIR = path.resolve(import.meta.dirname, '..', 'traces');

/** [position, deleteCount, insertText], applied like Array.splice (positions in code points). */
export type Patch = [number, number, string];

export interface SequentialTrace {
  startContent: string;
  endContent: string;
  txns: { time: string; patches: Patch[] }[];
}

export interface ConcurrentTrace {
  kind: 'concurrent';
  endContent: string;
}

function readGzipJson(name: string): unknown {
  const file = process.env.BENCH_TRACE_DIR ? path.join(process.env.BENCH_TRACE_DIR, name) : path.join(TRACE_DIR, name);
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
}

/** The automerge-paper trace: 259,778 single-keystroke transactions, ~105k characters at the end. */
export function loadAutomergePaper(): SequentialTrace {
  const trace = readGzipJson('automerge-paper.json.gz') as SequentialTrace;
  // Y.Text counts UTF-16 units, the trace counts code points: equal only if all text is in the BMP.
  if (trace.endContent.length !== [...trace.endContent].length) throw new Error('trace has characters outside the BMP');
  return trace;
}

/** A ~21 KB debrief two people wrote together: the seed text of every typing session. */
export function loadSeedText(): string {
  return (readGzipJson('clownschool.json.gz') as ConcurrentTrace).endContent;
}

/** Applies transactions [from, to) of `trace` to `text`, one Yjs transaction per trace transaction. */
export function replay(trace: SequentialTrace, text: Y.XmlText, from: number, to: number): void {
  const doc = text.doc;
  if (!doc) throw new Error('text is not in a document');
  for (let i = from; i < to; i++) {
    const txn = trace.txns[i];
    if (!txn) break;
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del);
        if (ins.length > 0) text.insert(pos, ins);
      }
    });
  }
}

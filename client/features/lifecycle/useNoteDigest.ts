import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { digestOfCopy } from '../../collab/noteDigest';

/** Edits closer together than this are digested once: a long note takes a while to canonicalise. */
const SETTLE_MS = 250;

/**
 * The digest of the note as this page holds it, following every edit (mine and the co-therapist's)
 * while `enabled`. The sign panel compares the signatures with it: a signature stands for the note
 * as it is now, and the server's digest is read only now and then, so both pages went on saying
 * "signed" for a note the other had changed since (walk, 3 Dec). Undefined until first computed,
 * or where the browser has no Web Crypto.
 */
export function useNoteDigest(doc: Y.Doc | null, enabled: boolean): string | undefined {
  const [digest, setDigest] = useState<string | undefined>(undefined);
  useEffect(() => {
    setDigest(undefined);
    if (!doc || !enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Only the latest run's answer counts: an earlier one may finish after it.
    let run = 0;
    const compute = () => {
      timer = undefined;
      const mine = ++run;
      void digestOfCopy(doc).then((d) => {
        if (mine === run) setDigest(d);
      });
    };
    const handleUpdate = () => {
      timer ??= setTimeout(compute, SETTLE_MS);
    };
    compute();
    doc.on('update', handleUpdate);
    return () => {
      run = -1;
      if (timer !== undefined) clearTimeout(timer);
      doc.off('update', handleUpdate);
    };
  }, [doc, enabled]);
  return digest;
}

import type { FaultProxy } from './faultProxy';

/**
 * Where `failAtCommit` strikes: `answer`, PostgreSQL's answer to the COMMIT (the connection reset
 * as it arrives); `next query`, the connection of the first query sent after that answer passed;
 * a RegExp, the connection of the first query after it whose text (latin1) matches: one read made
 * after the step was stored (the lock's check of the note, the view an answer shows).
 */
export type CommitFault = 'answer' | 'next query' | RegExp;

/**
 * Resets the connection whose transaction sent `marker` as PostgreSQL's answer to its COMMIT
 * arrives, or a later query's (`at`), through `proxy` in front of PostgreSQL; `then` runs right
 * after (e.g. to cut PostgreSQL off). At the answer the transaction is stored and the process
 * hears only that its connection died. Strikes once.
 */
export function failAtCommit(proxy: FaultProxy, marker: string, { at = 'answer', then = () => {} }: { at?: CommitFault; then?: () => void } = {}): { hit: () => boolean; stop: () => void } {
  let marked: number | null = null;
  let committing = false;
  let answered = false;
  let hit = false;
  const untap = proxy.tap((conn, chunk, fromClient) => {
    const fail = () => {
      hit = true;
      untap();
      conn.reset();
      then();
    };
    const text = chunk.toString('latin1');
    if (answered) return void (fromClient && (at === 'next query' || (at instanceof RegExp && at.test(text))) && fail());
    if (fromClient && marked === null && text.includes(marker)) marked = conn.id;
    if (conn.id !== marked) return;
    if (fromClient && text.includes('COMMIT')) committing = true;
    else if (!fromClient && committing) {
      if (at === 'answer') fail();
      else answered = true;
    }
  });
  // `stop`: no longer strikes (a read that no longer comes after the step would be struck in the next test).
  return { hit: () => hit, stop: () => void untap() };
}

import { expect, it } from 'vitest';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { isRunning, lastWords } from '../helpers/startTestServer';
import { linesOf, twoTypingTherapists } from './redisTyping';

const MESSAGE_HEAD = /\$7\r\nmessage\r\n\$\d+\r\n[^\r]*:doc:[^\r]*\r\n\$(\d+)\r\n/;
const ASKS = 'asking the other processes for the note whole';

describeWith([Postgres, Redis], 'One fan-out message lost without an outage (garbled on the way)', () => {
  // Operator fault test, 6 Dec: one of B's updates reaching process 1 garbled (a faulty proxy in
  // front of Redis; the connection stayed up, nothing noticed an outage) left every later update
  // of B's waiting on process 1 for good: A never saw B's lines again, and nothing was said.
  it('the note catches up by itself: the process asks the others for the note whole', async () => {
    const t = await twoTypingTherapists();
    // B's update frames (lines "b-…", from process 2) on process 1's subscriber get another
    // version byte, so they are dropped, until process 1 says it asks for the note whole. Not any
    // frame (process 1 hears its own publications too, and losing one of A's lost nothing). Not a
    // fixed few either: under load a probe of process 1's can time out (a process frozen 3 s does
    // the same), and the recovery from that outage publishes the note whole before the watch's
    // first ask, 2 s on, so the ask this test is about never came (flaky, 6 Dec). Dropped until
    // the ask, B's updates (the outage catch-up's among them) cannot fill the gap any other way.
    let garbled = 0;
    t.proxy.rewriteReplies(/tandem-sub-/, (chunk) => {
      const head = MESSAGE_HEAD.exec(chunk.toString('latin1'));
      const at = head ? head.index + head[0].length : -1;
      if (!head || at + Number(head[1]) > chunk.length || chunk[at + 1] !== 0) return chunk;
      if (!chunk.subarray(at, at + Number(head[1])).toString('latin1').includes('b-')) return chunk;
      garbled++;
      const copy = Buffer.from(chunk);
      copy[at] = 0x09;
      return copy;
    });
    await expect.poll(() => linesOf(t.p1, ASKS).length, { timeout: 60_000, message: `process 1 never asked\n${lastWords([t.p1])}` }).toBeGreaterThan(0);
    expect(garbled).toBeGreaterThan(0);
    t.proxy.heal();
    await t.hearEachOther('after B\'s updates were lost on the way to process 1');
    expect([t.p1, t.p2].every(isRunning)).toBe(true);
    await expect.poll(() => t.a.text() === t.b.text(), { timeout: 60_000 }).toBe(true);
  }, 180_000);
});

import { expect, it } from 'vitest';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { isRunning } from '../helpers/startTestServer';
import { linesOf, twoTypingTherapists } from './redisTyping';

const MESSAGE_HEAD = /\$7\r\nmessage\r\n\$\d+\r\n[^\r]*:doc:[^\r]*\r\n\$\d+\r\n/;

describeWith([Postgres, Redis], 'One fan-out message lost without an outage (garbled on the way)', () => {
  // Operator fault test, 6 Dec: one of B's updates reaching process 1 garbled (a faulty proxy in
  // front of Redis; the connection stayed up, nothing noticed an outage) left every later update
  // of B's waiting on process 1 for good: A never saw B's lines again, and nothing was said.
  it('the note catches up by itself: the process asks the others for the note whole', async () => {
    const t = await twoTypingTherapists();
    let garbled = false;
    // The first update frame on process 1's subscriber gets another version byte, so it is dropped.
    t.proxy.rewriteReplies(/tandem-sub-/, (chunk) => {
      const head = garbled ? null : MESSAGE_HEAD.exec(chunk.toString('latin1'));
      const at = head ? head.index + head[0].length : -1;
      if (!head || at + 1 >= chunk.length || chunk[at + 1] !== 0) return chunk;
      garbled = true;
      const copy = Buffer.from(chunk);
      copy[at] = 0x09;
      return copy;
    });
    await expect.poll(() => garbled, { timeout: 30_000 }).toBe(true);
    t.proxy.heal();
    await t.hearEachOther('after one of B\'s updates was lost on the way to process 1');
    expect([t.p1, t.p2].every(isRunning)).toBe(true);
    expect(linesOf(t.p1, 'asking the other processes for the note whole')).not.toHaveLength(0);
    await expect.poll(() => t.a.text() === t.b.text(), { timeout: 60_000 }).toBe(true);
  }, 180_000);
});

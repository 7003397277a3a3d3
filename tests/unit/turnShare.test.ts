import { describe, expect, it } from 'vitest';
import { Inbox } from '../../server/collab/inbox';
import { TurnShare, type TurnClock } from '../../server/collab/turnShare';

/**
 * A clock that handlers move forward by what their work "costs", and turns of the loop that the
 * test runs one at a time: so each test says exactly which frame ran in which turn.
 */
function manualLoop(): TurnClock & { time: number; runTurn(): boolean } {
  const deferred: (() => void)[] = [];
  return {
    time: 0,
    now() {
      return this.time;
    },
    defer: (fn) => void deferred.push(fn),
    runTurn() {
      const next = deferred.shift();
      next?.();
      return next !== undefined;
    },
  };
}

const SLICE_MS = 8;

function setup() {
  const loop = manualLoop();
  const share = new TurnShare(SLICE_MS, loop);
  const handled: string[] = [];
  const flow = { paused: 0, resumed: 0, pause() { this.paused++; }, resume() { this.resumed++; } };
  /** An inbox whose frames each cost `costMs` of loop time to handle. */
  const inbox = (name: string, costMs: number) =>
    new Inbox<number>((n) => {
      handled.push(`${name}${n}`);
      loop.time += costMs;
    }, flow, share, (n) => n, { frames: 4, bytes: 1000 });
  return { loop, share, handled, flow, inbox };
}

describe('sharing the event loop among connections', () => {
  it('handles frames in line while the turn has time, then makes the rest wait for a later turn', () => {
    const { loop, handled, inbox } = setup();
    const a = inbox('a', 3);
    for (const n of [1, 2, 3, 4, 5]) a.push(n);
    // 3 ms each: after three frames the turn has spent 9 ms of its 8.
    expect(handled).toEqual(['a1', 'a2', 'a3']);
    // The slice is the loop's turn's, in line and after: that turn still moves, one frame.
    loop.runTurn();
    expect(handled).toEqual(['a1', 'a2', 'a3', 'a4']);
    loop.runTurn();
    expect(handled).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('takes waiting connections in turn, one frame each, so one frame waits behind at most one of each other connection', () => {
    const { loop, handled, inbox } = setup();
    const paste = inbox('p', 10);
    const keys = inbox('k', 0.1);
    for (const n of [1, 2, 3, 4]) paste.push(n);
    keys.push(1);
    // The paste's first frame spent the slice; its others and the key wait, in arrival order.
    expect(handled).toEqual(['p1']);
    loop.runTurn();
    expect(handled).toEqual(['p1', 'p2']);
    loop.runTurn();
    expect(handled).toEqual(['p1', 'p2', 'k1', 'p3']);
    while (loop.runTurn());
    expect(handled).toEqual(['p1', 'p2', 'k1', 'p3', 'p4']);
  });

  it('keeps a frame in order behind its connection\'s waiting ones, even when the turn has time again', () => {
    const { loop, handled, inbox } = setup();
    const a = inbox('a', 5);
    for (const n of [1, 2, 3, 4]) a.push(n);
    expect(handled).toEqual(['a1', 'a2']);
    // The in-line frames spent this turn's slice: the next turn takes one frame, a4 still waits.
    loop.runTurn();
    expect(handled).toEqual(['a1', 'a2', 'a3']);
    a.push(5);
    expect(handled).toEqual(['a1', 'a2', 'a3']);
    while (loop.runTurn());
    expect(handled).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('stops reading a socket while many of its frames wait, and reads it again once half were handled', () => {
    const { loop, flow, handled, inbox } = setup();
    const a = inbox('a', 10);
    for (const n of [1, 2, 3, 4, 5]) a.push(n);
    // One handled in line, four wait: the high-water mark of this inbox.
    expect(flow.paused).toBe(1);
    loop.runTurn();
    loop.runTurn();
    expect(flow.resumed).toBe(1);
    while (loop.runTurn());
    expect(handled).toHaveLength(5);
  });

  it('stops reading a socket while many bytes wait, however few the frames', () => {
    const { flow, handled, inbox, loop } = setup();
    const a = inbox('a', 10);
    // Item n takes n bytes here: one big frame waiting behind the first passes the 1000-byte mark.
    a.push(1);
    a.push(1500);
    expect(flow.paused).toBe(1);
    while (loop.runTurn());
    expect(flow.resumed).toBe(1);
    expect(handled).toEqual(['a1', 'a1500']);
  });

  it('drops what a closed connection had waiting, and the others keep their turns', () => {
    const { loop, handled, inbox } = setup();
    const a = inbox('a', 10);
    const b = inbox('b', 10);
    for (const n of [1, 2, 3]) a.push(n);
    b.push(1);
    a.clear();
    while (loop.runTurn());
    expect(handled).toEqual(['a1', 'b1']);
  });

  it('gives the others their turns when one connection throws', () => {
    const loop = manualLoop();
    const share = new TurnShare(SLICE_MS, loop);
    const handled: string[] = [];
    const flow = { pause() {}, resume() {} };
    const bad = new Inbox<number>((n) => {
      loop.time += 10;
      if (n === 2) throw new Error('handler failed');
      handled.push(`bad${n}`);
    }, flow, share, () => 1);
    const good = new Inbox<number>((n) => void handled.push(`good${n}`), flow, share, () => 1);
    bad.push(1);
    bad.push(2);
    bad.push(3);
    good.push(1);
    expect(() => loop.runTurn()).toThrow('handler failed');
    while (loop.runTurn());
    expect(handled).toEqual(['bad1', 'good1', 'bad3']);
  });
});

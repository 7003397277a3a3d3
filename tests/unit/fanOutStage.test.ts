import { describe, expect, it } from 'vitest';
import type { Connection } from '../../server/collab/Connection';
import { FanOutStage } from '../../server/collab/fanOutStage';
import type { Fanout, FanoutMessage } from '../../server/fanout/Fanout';

/** A note's fan-out stage with one listening connection and a fan-out whose outage the test sets. */
function stage() {
  const seen: number[] = [];
  const published: number[] = [];
  // The stage only sends frames to its connections; this one records them.
  const listener = { send: (frame: Uint8Array) => seen.push(frame[0]!) } as unknown as Connection;
  const fanout: Fanout & { interrupted: boolean } = {
    shared: true,
    interrupted: false,
    publish: (_id: string, m: FanoutMessage) => void published.push(m.data[0]!),
    subscribe: async () => async () => {},
    healthy: async () => true,
    close: async () => {},
  };
  const fanOut = new FanOutStage({ sessionId: 's', connections: new Set([listener]), fanout });
  const relay = (n: number, { binds = false, storeFailing = false } = {}) =>
    fanOut.relay({ frame: new Uint8Array([n]), except: undefined, fanout: new Uint8Array([n]) }, binds, storeFailing);
  return { fanOut, fanout, relay, seen, published };
}

// Re-check (4 Dec): with Redis away and one write failed, every waiting relay went out, a forged
// client id's first words among them, and another process stored them as relayed.
describe('the fan-out stage', () => {
  it('holds a first write under a client id until its write is durable, even while storage is failing', () => {
    const { fanOut, relay, seen, published } = stage();
    relay(1);
    relay(2, { binds: true, storeFailing: true });
    const mark = fanOut.lastQueued;
    relay(3, { storeFailing: true });
    expect(seen).toEqual([1, 3]);
    fanOut.releaseUnstored();
    expect(seen).toEqual([1, 3]);
    fanOut.release(mark);
    expect(seen).toEqual([1, 3, 2]);
    expect(published).toEqual([1, 3, 2]);
  });

  it('holds every update while other processes’ messages may be lost, until its write is durable', () => {
    const { fanOut, fanout, relay, seen } = stage();
    fanout.interrupted = true;
    relay(1);
    relay(2, { storeFailing: true });
    fanOut.releaseUnstored();
    expect(seen).toEqual([]);
    const mark = fanOut.lastQueued;
    fanout.interrupted = false;
    relay(3);
    fanOut.release(mark);
    expect(seen).toEqual([1, 2]);
    fanOut.release();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('keeps order behind a waiting relay while storage works, and lets the others go once it fails', () => {
    const { fanOut, relay, seen } = stage();
    relay(1, { binds: true });
    relay(2);
    expect(seen).toEqual([]);
    fanOut.releaseUnstored();
    expect(seen).toEqual([2]);
    fanOut.release();
    expect(seen).toEqual([2, 1]);
  });
});

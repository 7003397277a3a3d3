import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { updateFrame } from '../helpers/rawSocket';
import { startClinic } from '../helpers/clinic';

const SEED = Number(process.env.TANDEM_FUZZ_SEED ?? 424242);
const RUNS = Number(process.env.TANDEM_FUZZ_RUNS ?? 300);

/** A real update to mutate: valid-looking frames are the interesting ones. */
function sampleUpdate(): Uint8Array {
  const d = new Y.Doc();
  appendParagraph(d, 'sample text for mutation');
  d.getMap('observations').set('x', { a: 1 });
  return Y.encodeStateAsUpdate(d);
}

const hugeVarint = fc.constant(new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]));
const frames = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 64 }),
  hugeVarint,
  fc.tuple(fc.integer({ min: 4, max: 300 }), fc.uint8Array({ maxLength: 32 })).map(([t, rest]) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, t);
    encoding.writeUint8Array(e, rest);
    return encoding.toUint8Array(e);
  }),
  // A valid update frame, truncated or with bytes flipped.
  fc.tuple(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 })).map(([cut, flips]) => {
    const frame = updateFrame(sampleUpdate());
    const out = frame.slice(0, 1 + (cut % frame.length));
    for (const [i, v] of flips) out[i % out.length] = v;
    return out;
  }),
  // Updates from a doc whose earlier structs the server never saw (missing dependencies).
  fc.nat({ max: 1000 }).map((n) => {
    const d = new Y.Doc();
    appendParagraph(d, `base ${n}`);
    const sv = Y.encodeStateVector(d);
    appendParagraph(d, 'depends on base');
    return updateFrame(Y.encodeStateAsUpdate(d, sv));
  }),
);

describe('hostile sync frames (property-based, seeded)', async () => {
  const { server, clinic } = await startClinic();
  const sessionId = await createSession(clinic);
  const headers = { cookie: clinic.a.api.cookie!, origin: server.baseUrl };

  it(`keeps the process up, closes only the sender, and leaves the others working (${RUNS} runs)`, async () => {
    const witness = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => witness.provider.synced).toBe(true);
    const heapBefore = process.memoryUsage().heapUsed;
    let closedWithCode = 0;
    await fc.assert(
      fc.asyncProperty(frames, async (frame) => {
        const ws = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/sync/${sessionId}`, { headers });
        await new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        });
        const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
        ws.send(frame);
        // A frame that was valid after all gets no close; a query-awareness round trip tells us it was handled.
        ws.send(new Uint8Array([3]));
        const outcome = await Promise.race([closed, new Promise<'open'>((r) => ws.once('message', () => r('open')))]);
        if (outcome !== 'open') {
          expect([4400, 1009]).toContain(outcome);
          closedWithCode++;
        }
        ws.terminate();
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 60_000 },
    );
    // The note still works for the witness, and the server did not accumulate garbage.
    appendParagraph(witness.doc, 'after the fuzzing');
    await expect.poll(() => witness.isSaved()).toBe(true);
    const other = connectClient(server.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => other.text()).toContain('after the fuzzing');
    expect(closedWithCode).toBeGreaterThan(RUNS / 4);
    global.gc?.();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);
});

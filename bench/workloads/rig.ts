/**
 * W0, the rig's own floor: a 30-byte frame bounced A → relay → B → relay → A,
 * paced like typing (one every 5 ms), and this process's idle event-loop lag. Every latency in
 * the tables sits on top of this; on a shared VM it also shows the scheduling noise.
 */
import WebSocket from 'ws';
import { LoadgenMonitor } from '../lib/loadgen';
import type { Options } from '../lib/options';
import { percentilesOf, roundPercentiles, type Percentiles } from '../lib/stats';
import { Deployment } from '../lib/systems';
import { round, sleep } from '../lib/util';

export interface RigBaseline {
  /** Round trip through the relay (two deliveries), ms. */
  relayRttMs: Percentiles;
  idleLagP99Ms: number;
  idleLagMaxMs: number;
  /** This process's loop lag while bouncing frames (light load), ms. */
  lightLoadLagP99Ms: number;
}

export async function runRig(opts: Options, roundTrips = 400): Promise<RigBaseline> {
  const monitor = new LoadgenMonitor();
  monitor.start();
  await sleep(Math.min(1000, roundTrips * 5));
  const idle = monitor.stop();
  const dep = new Deployment('relay', opts);
  try {
    await dep.start();
    const url = `ws://127.0.0.1:${dep.port}/rig`;
    const [a, b] = [new WebSocket(url, { perMessageDeflate: false }), new WebSocket(url, { perMessageDeflate: false })];
    await Promise.all([a, b].map((s) => new Promise((resolve) => s.once('open', resolve))));
    b.on('message', (data: Buffer) => b.send(data));
    const rtts: number[] = [];
    const frame = Buffer.alloc(30);
    const light = new LoadgenMonitor();
    light.start();
    for (let i = 0; i < roundTrips; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        a.once('message', () => resolve());
        a.send(frame);
      });
      rtts.push(performance.now() - t0);
      await sleep(5);
    }
    const lightLoad = light.stop();
    a.close();
    b.close();
    return {
      relayRttMs: roundPercentiles(percentilesOf(rtts)),
      idleLagP99Ms: round(idle.lagP99Ms, 3),
      idleLagMaxMs: round(idle.lagMaxMs, 3),
      lightLoadLagP99Ms: round(lightLoad.lagP99Ms, 3),
    };
  } finally {
    await dep.dispose();
  }
}

/**
 * W4, durable ack (tandem only): typing at a fixed R, timing each insert until tandem's Saved
 * frame (the state vector it has committed to SQLite) covers it.
 */
import type { Options } from '../lib/options';
import { runTypingStep, type TypingStep } from './typing';

export function runAck(opts: Options): Promise<TypingStep> {
  const { sessions, warmupS, measureS } = opts.profile.ack;
  return runTypingStep('tandem', { sessions, warmupS, measureS, drainS: opts.profile.typing.drainS }, opts);
}

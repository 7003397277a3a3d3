import { describe, expect, it } from 'vitest';
import { WriteHealth } from '../../server/ops/writeHealth';

describe('whether storage takes writes', () => {
  it('stays failing while one kind of write fails, whatever other kinds do meanwhile', async () => {
    const health = new WriteHealth(async () => {}, 60_000);
    health.record('docs.append note-a', false);
    health.record('audit.append', true);
    // Another note's log taking writes says nothing of this one's.
    health.record('docs.append note-b', true);
    expect(await health.check()).toBe(false);
    health.record('docs.append note-a', true);
    expect(await health.check()).toBe(true);
  });

  it('asks the store for a write of its own when nothing was written lately, and goes by its outcome', async () => {
    let probeWrites = true;
    let probes = 0;
    const health: WriteHealth = new WriteHealth(async () => {
      probes++;
      // As the storage boundary does for any write, the probe's outcome is recorded.
      health.record('checkWrite', probeWrites);
      if (!probeWrites) throw new Error('database or disk is full');
    }, 0);
    expect(await health.check()).toBe(true);
    probeWrites = false;
    expect(await health.check()).toBe(false);
    expect(probes).toBe(2);
  });
});

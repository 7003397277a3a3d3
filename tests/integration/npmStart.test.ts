import { describe, expect, it } from 'vitest';
import { startServerProcess, tempDir } from '../helpers/startTestServer';

/** Whether anything still answers on the port. */
async function answers(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/api/health`);
    return true;
  } catch {
    return false;
  }
}

// A process manager stops a service with SIGTERM to the process it started, here npm. npm passed it
// to the shell running the script, which ended without passing it on, and the server ran on,
// holding its port and the note store (walk, 5 Dec).
describe('npm start', () => {
  it('stops the server it started when npm is sent SIGTERM, after storing pending edits', async () => {
    const started = await startServerProcess({ dataDir: tempDir(), viaNpmStart: true });
    expect(await answers(started.baseUrl)).toBe(true);
    expect(await started.kill('SIGTERM')).toBe(0);
    expect(started.output.join('\n')).toContain('received SIGTERM; storing pending edits');
    await expect.poll(() => answers(started.baseUrl), { timeout: 30_000 }).toBe(false);
  }, 120_000);
});

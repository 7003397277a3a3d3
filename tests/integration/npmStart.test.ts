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
  // npm passes SIGTERM and SIGINT on; SIGHUP (a closed terminal) and SIGKILL end npm alone, and the
  // server ran on (attack, 5 Dec): it then stops by itself, storing first.
  it.each(['SIGTERM', 'SIGHUP', 'SIGKILL'] as const)('stops the server it started when npm is sent %s, after storing pending edits', async (signal) => {
    const started = await startServerProcess({ dataDir: tempDir(), viaNpmStart: true });
    expect(await answers(started.baseUrl)).toBe(true);
    const ended = await started.kill(signal);
    if (signal === 'SIGTERM') expect(ended).toBe(0);
    await expect.poll(() => answers(started.baseUrl), { timeout: 30_000 }).toBe(false);
    await expect.poll(() => started.output.join('\n'), { timeout: 30_000 }).toMatch(/received SIG(TERM|HUP); storing pending edits[\s\S]*"stopped"/);
  }, 120_000);
});

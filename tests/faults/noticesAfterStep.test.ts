import { describe, expect, it } from 'vitest';
import type { NoticesView } from '../../shared/domain/supervisor';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { refuseWrites } from '../helpers/refuseWrites';

// Attack (4 Dec): the notices of a signature failed after it had locked the note; the signer read
// 503 "try again", the retry 409 "signed", and the supervisor was never told.
describe('a signature whose notices cannot be stored at once', async () => {
  const { server, clinic } = await startClinic();

  it('is answered as given, and the supervisor is told once the notices can be stored', async () => {
    const id = await createSession(clinic, 'individual');
    for (const step of ['start', 'end', 'sign']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
    const restore = refuseWrites(server.dataDir, ['notices']);
    const signed = await expectStatus(clinic.b.api.post<{ locked: boolean }>(`/api/sessions/${id}/sign`), 200, 'B signs');
    expect(signed.locked).toBe(true);
    const asked = async () => (await clinic.supervisor.api.get<NoticesView>('/api/notices')).body.notices.filter((n) => n.sessionId === id && n.kind === 'cosign_waiting').length;
    expect(await asked()).toBe(0);
    restore();
    // Tried again on a timer (1 s, doubling): a bound for a stuck retry, not its measure.
    await expect.poll(asked, { timeout: 30_000 }).toBe(1);
  });
});

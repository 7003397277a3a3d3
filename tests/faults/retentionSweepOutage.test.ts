import { expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import type { ProcessNoteView } from '../../shared/domain/processNote';
import { createClinic, expectStatus } from '../helpers/api';
import { liveGroupWithLine } from '../helpers/connectClient';
import { startFaultProxy } from '../helpers/faultProxy';
import { metricValue } from '../helpers/metrics';
import { REMOVED_PROCESS_NOTES } from '../helpers/processNotes';
import { describeWith, freshPostgresSchema, Postgres } from '../helpers/services';
import { startTestServer } from '../helpers/startTestServer';

// Fault attack, 6 Dec: the retention sweep while PostgreSQL is cut off (refused) or silent. The
// sweep must end, say so and count it, and remove the notes at the next sweep once PostgreSQL is back.
describeWith([Postgres], 'The process notes\' retention sweep while PostgreSQL is away', () => {
  for (const fault of ['cut', 'blackhole'] as const) {
    it(`ends, is told and counted while PostgreSQL is ${fault === 'cut' ? 'refused' : 'silent'}, and removes the notes once it is back`, async () => {
      const { url } = await freshPostgresSchema();
      const proxy = await startFaultProxy(url);
      const lines: string[] = [];
      const server = await startTestServer({ env: { DATABASE_URL: proxy.url, TANDEM_PG_STATEMENT_TIMEOUT_MS: '1000' }, log: createLogger('info', (line) => lines.push(line)) });
      const clinic = await createClinic(server.baseUrl);
      const { id } = await liveGroupWithLine(server.baseUrl, clinic, 'M1 arrived late.');
      const notes = await expectStatus(clinic.a.api.post<ProcessNoteView>(`/api/sessions/${id}/process-note`, { retainDays: 1 }), 201, 'process notes');
      const due = Date.parse(notes.removesAt!);
      const listFailures = () => metricValue(server.baseUrl, 'tandem_process_note_removals_failed_total', { step: 'list' });
      const before = await listFailures();

      proxy[fault]();
      expect(await server.retention.run(due)).toEqual({ removed: 0, failed: 0 });
      expect(lines.filter((l) => l.includes('listing process notes past their retention failed'))).toHaveLength(1);
      expect(await listFailures()).toBe(before + 1);

      proxy.heal();
      await expect.poll(() => server.retention.run(due), { timeout: 30_000 }).toEqual({ removed: 1, failed: 0 });
      expect((await clinic.a.api.get(`/api/sessions/${id}/process-note`)).body).toEqual(REMOVED_PROCESS_NOTES);
    }, 120_000);
  }
});

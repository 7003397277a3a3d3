import { expect, it } from 'vitest';
import type { Clinic } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { healthOf } from '../helpers/health';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { proxiedProcess } from './proxied';

/**
 * The admin's "create account" sent twice at once (a double click): both requests find the email
 * free, and the second insert trips the unique email. Operator fault test, 6 Dec: that one was
 * answered 503 "storage unavailable", logged as an outage, and /healthz said `store: failing`.
 */
async function createTwice(baseUrl: string, clinic: Clinic) {
  const email = `twin.${Date.now()}@clinic.test`;
  const create = () => clinic.admin.api.post<{ error?: { code: string } }>('/api/users', { email, name: 'Twin', password: 'correct horse battery', role: 'clinician' });
  const answers = await Promise.all([create(), create()]);
  expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
  expect(['already_exists', 'email_taken']).toContain(answers.find((r) => r.status === 409)!.body.error?.code);
  expect(await healthOf(baseUrl)).toMatchObject({ status: 200, store: 'up' });
}

it('a row created twice at once is a conflict (409), not an outage (SQLite)', async () => {
  const { server, clinic } = await startClinic();
  await createTwice(server.baseUrl, clinic);
});

describeWith([Postgres, Redis], 'a row created twice at once (PostgreSQL)', () => {
  it('is a conflict (409), not an outage', async () => {
    const { p1, proxy, clinic } = await proxiedProcess('databaseUrl');
    // A slow link, so that both requests read the email as free before either inserts it.
    proxy.slow(100);
    await createTwice(p1.baseUrl, clinic);
  });
});

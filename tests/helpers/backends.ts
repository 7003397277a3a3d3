import { randomUUID } from 'node:crypto';
import { afterAll, describe } from 'vitest';
import pg from 'pg';

/**
 * Tests that need a service this machine may lack run when its URL is set; otherwise they are
 * skipped with a loud line, and under CI=true a missing service fails the run instead.
 */
export function requireService(envVar: 'TANDEM_TEST_DATABASE_URL' | 'TANDEM_TEST_REDIS_URL', what: string): string | null {
  const url = process.env[envVar];
  if (url) return url;
  const message = `SKIPPED: ${what} tests — set ${envVar} to run them`;
  if (process.env.CI === 'true') {
    describe(message, () => {
      throw new Error(`${envVar} is not set, and CI=true makes a skipped ${what} test a failure`);
    });
  } else {
    console.warn(`\n*** ${message} ***\n`);
  }
  return null;
}

/** A fresh PostgreSQL database for one test file, dropped afterwards. */
export async function freshDatabase(baseUrl: string): Promise<string> {
  const name = `tandem_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  afterAll(async () => {
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

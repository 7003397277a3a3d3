import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, it, onTestFinished } from 'vitest';

/** An outside service some tests need, named by the variable that points the tests at it. */
export interface TestService {
  label: string;
  env: 'TANDEM_TEST_DATABASE_URL' | 'TANDEM_TEST_REDIS_URL';
  example: string;
}

/** The services these suites use, with the example URL of this machine's setup. */
export const Postgres: TestService = { label: 'PostgreSQL', env: 'TANDEM_TEST_DATABASE_URL', example: 'postgres://postgres@127.0.0.1:5432/test' };
export const Redis: TestService = { label: 'Redis', env: 'TANDEM_TEST_REDIS_URL', example: 'redis://127.0.0.1:6379' };

/**
 * `describe` when every service's variable is set. Otherwise: in CI (CI=true) one failing test per
 * missing service, since a skip there would hide that nothing was tested; elsewhere a loud line and
 * a skipped placeholder (the body, which may start servers while it is collected, never runs).
 */
export function describeWith(services: TestService[], title: string, body: () => void | Promise<void>): void {
  const missing = services.filter((s) => !process.env[s.env]);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const lines = missing.map((s) => `SKIPPED: ${s.label} tests — set ${s.env}=${s.example} to run them`);
  if (process.env.CI === 'true') {
    describe(title, () => {
      for (const line of lines) it(`needs its service in CI — ${line}`, () => {
        throw new Error(`${line} (CI treats a skipped service test as a failure)`);
      });
    });
    return;
  }
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\n${lines.join('\n')}\n  (in: ${title})\n${bar}\n`);
  describe.skip(title, () => {
    it(lines.join('; '), () => {});
  });
}

/**
 * Registers cleanup where it will run: after the current test when called inside one, else after
 * the file's tests. (`afterAll` called from inside a test or a `beforeAll` is silently dropped.)
 */
export function deferCleanup(fn: () => unknown): void {
  const run = async () => {
    await fn();
  };
  try {
    onTestFinished(run);
  } catch {
    afterAll(run);
  }
}

/** The URL from the service's variable (only call inside `describeWith`). */
export function serviceUrl(service: TestService): string {
  const url = process.env[service.env];
  if (!url) throw new Error(`${service.env} is not set`);
  return url;
}

/**
 * A fresh schema for this run in the test database, dropped after the file's tests: runs never
 * see each other's tables. The returned URL selects it through libpq's `options`.
 */
export async function freshPostgresSchema(): Promise<{ url: string; schema: string }> {
  const base = serviceUrl(Postgres);
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  deferCleanup(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await c.end();
    }
  });
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), schema };
}

/** Runs one raw statement on `url` (for checks that go around the adapter, like triggers). */
export async function rawPostgres(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A short unique prefix for Redis channels and keys, so test runs never hear each other. */
export function uniqueRedisPrefix(): string {
  return `tandem-test-${randomBytes(4).toString('hex')}`;
}

/**
 * Ends every backend whose `application_name` starts with `prefix`, as an operator or a restart of
 * PostgreSQL does (`pg_terminate_backend`: FATAL 57P01 to the client, then the socket closes).
 * Returns how many were ended.
 */
export async function terminatePostgresBackends(prefix: string): Promise<number> {
  const c = new pg.Client({ connectionString: serviceUrl(Postgres) });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      "SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name LIKE $1 || '%'",
      [prefix],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await c.end();
  }
}

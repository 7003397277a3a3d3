import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { defaultConnectionCap, descriptorLimit } from '../../server/ops/connectionCap';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OLD_KEY = Buffer.alloc(32, 9).toString('base64');

/** The message loadConfig throws for `env`, or null when it accepts it. */
function refusal(env: Record<string, string>): string | null {
  try {
    loadConfig(env);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

describe('configuration from the environment', () => {
  it('starts with documented defaults from an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      databaseUrl: null,
      redisUrl: null,
      heartbeatMs: 2000,
      idleTimeoutMs: 30 * 60_000,
      absoluteTimeoutMs: 12 * 3_600_000,
      unloadDelayMs: 2000,
      allowedOrigins: [],
      trustProxy: false,
      logLevel: 'info',
      clientDir: path.resolve('dist/client'),
      scryptN: 32768,
      encryption: null,
      metricsToken: null,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('bounds every PostgreSQL wait and names a bad bound', () => {
    expect(loadConfig({})).toMatchObject({ postgresTimeouts: { statementMs: 10_000, lockMs: 20_000 }, storeStallMs: 10_000 });
    expect(loadConfig({ TANDEM_PG_STATEMENT_TIMEOUT_MS: '1500', TANDEM_PG_LOCK_TIMEOUT_MS: '500', TANDEM_STORE_STALL_MS: '1000' }))
      .toMatchObject({ postgresTimeouts: { statementMs: 1500, lockMs: 500 }, storeStallMs: 1000 });
    const message = refusal({ TANDEM_PG_STATEMENT_TIMEOUT_MS: '0', TANDEM_PG_LOCK_TIMEOUT_MS: 'soon', TANDEM_STORE_STALL_MS: '-1' });
    for (const name of ['TANDEM_PG_STATEMENT_TIMEOUT_MS', 'TANDEM_PG_LOCK_TIMEOUT_MS', 'TANDEM_STORE_STALL_MS']) expect(message).toContain(name);
  });

  it('bounds connections below the descriptor limit, per address unless behind a proxy, and a request no shorter than its headers', () => {
    const c = loadConfig({});
    const limit = descriptorLimit();
    expect(c.connections).toEqual({ max: defaultConnectionCap(limit), perAddress: Math.min(512, c.connections.max), headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, upgradeTimeoutMs: 15_000 });
    if (limit !== null) expect(c.connections.max).toBeLessThan(limit);
    // Behind a proxy every client has the proxy's address: no bound of its own per address.
    expect(loadConfig({ TRUST_PROXY: 'true' }).connections.perAddress).toBe(c.connections.max);
    expect(loadConfig({ TANDEM_MAX_CONNECTIONS: '50', TANDEM_MAX_CONNECTIONS_PER_ADDRESS: '20', TRUST_PROXY: 'true' }).connections).toMatchObject({ max: 50, perAddress: 20 });
    expect(refusal({ TANDEM_HEADERS_TIMEOUT_MS: '20000', TANDEM_REQUEST_TIMEOUT_MS: '10000' })).toContain('  TANDEM_REQUEST_TIMEOUT_MS:');
    expect(refusal({ TANDEM_MAX_CONNECTIONS: '0' })).toContain('  TANDEM_MAX_CONNECTIONS:');
  });

  it('keeps a fifth of the descriptor limit Linux reports (at least 256) for the process’s own files', () => {
    expect(descriptorLimit(() => 'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            20000                20000                files     \n')).toBe(20000);
    expect(descriptorLimit(() => 'Max open files            unlimited            unlimited            files     \n')).toBeNull();
    expect(descriptorLimit(() => {
      throw new Error('ENOENT: no /proc here');
    })).toBeNull();
    expect([defaultConnectionCap(20_000), defaultConnectionCap(1024), defaultConnectionCap(300), defaultConnectionCap(null)]).toEqual([16_000, 768, 150, 4096]);
  });

  it('converts units and lists: minutes and hours to milliseconds, origins split and trimmed, flags from true/1', () => {
    const c = loadConfig({
      PORT: '0',
      TANDEM_IDLE_TIMEOUT_MINUTES: '0.5',
      TANDEM_ABSOLUTE_TIMEOUT_HOURS: '2',
      TANDEM_ALLOWED_ORIGINS: ' http://localhost:5173 ,, https://notes.clinic.test ',
      TRUST_PROXY: '1',
      TANDEM_TIMEZONE: 'Europe/Berlin',
    });
    expect(c.port).toBe(0);
    expect(c.idleTimeoutMs).toBe(30_000);
    expect(c.absoluteTimeoutMs).toBe(7_200_000);
    expect(c.allowedOrigins).toEqual(['http://localhost:5173', 'https://notes.clinic.test']);
    expect(c.trustProxy).toBe(true);
    expect(c.timeZone).toBe('Europe/Berlin');
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('reads the encryption key and the previous keys of a rotation', () => {
    const c = loadConfig({ TANDEM_ENCRYPTION_KEY: KEY, TANDEM_ENCRYPTION_PREVIOUS_KEYS: ` ${OLD_KEY} ,` });
    expect(c.encryption).toEqual({ current: Buffer.from(KEY, 'base64'), previous: [Buffer.from(OLD_KEY, 'base64')] });
  });

  it('refuses bad values with one error naming every bad variable', () => {
    const message = refusal({ PORT: '70000', TANDEM_HEARTBEAT_MS: '60000', TANDEM_LOG_LEVEL: 'loud', DATABASE_URL: 'not a url' });
    expect(message).toMatch(/^Invalid configuration:/);
    for (const name of ['PORT', 'TANDEM_HEARTBEAT_MS', 'TANDEM_LOG_LEVEL', 'DATABASE_URL']) expect(message).toContain(`  ${name}:`);
  });

  it.each([
    ['a port that is not a whole number', { PORT: '80.5' }, 'PORT'],
    ['a heartbeat below 100 ms', { TANDEM_HEARTBEAT_MS: '99' }, 'TANDEM_HEARTBEAT_MS'],
    ['a flag that is not true/false/1/0', { TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    ['a zero idle timeout', { TANDEM_IDLE_TIMEOUT_MINUTES: '0' }, 'TANDEM_IDLE_TIMEOUT_MINUTES'],
    ['an unknown time zone', { TANDEM_TIMEZONE: 'Mars/Olympus' }, 'TANDEM_TIMEZONE'],
    ['a short metrics token', { TANDEM_METRICS_TOKEN: 'short' }, 'TANDEM_METRICS_TOKEN'],
    ['a message limit below 1 KiB', { TANDEM_MAX_MESSAGE_BYTES: '1000' }, 'TANDEM_MAX_MESSAGE_BYTES'],
  ])('refuses %s', (_what, env, name) => {
    expect(refusal(env)).toContain(`  ${name}:`);
  });

  it('refuses an encryption key that is not 32 bytes of base64, naming the variable', () => {
    expect(refusal({ TANDEM_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toContain('TANDEM_ENCRYPTION_KEY');
    expect(refusal({ TANDEM_ENCRYPTION_KEY: KEY, TANDEM_ENCRYPTION_PREVIOUS_KEYS: 'short' })).toContain('TANDEM_ENCRYPTION_PREVIOUS_KEYS');
  });
});

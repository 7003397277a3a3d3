import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { localTimes } from '../../server/review/localTime';

describe('export times', () => {
  const berlin = localTimes('Europe/Berlin');

  it('writes an instant as local wall time with the zone and its offset', () => {
    expect(berlin.at('2026-11-30T13:05:59.000Z')).toBe('2026-11-30 14:05 (Europe/Berlin, UTC+01:00)');
    expect(localTimes('Asia/Kolkata').at('2026-11-30T13:05:00.000Z')).toBe('2026-11-30 18:35 (Asia/Kolkata, UTC+05:30)');
  });

  // Walk, 6 Dec: a server left on UTC exported "2026-12-07 01:31 (UTC)" at every time.
  it('says UTC once, by whichever name it is configured', () => {
    for (const zone of ['UTC', 'Etc/UTC', 'GMT']) expect(localTimes(zone).at('2026-11-30T13:05:00.000Z'), zone).toBe('2026-11-30 13:05 (UTC)');
    expect(localTimes('Europe/London').at('2026-11-30T13:05:00.000Z')).toBe('2026-11-30 13:05 (Europe/London, UTC+00:00)');
  });

  it('tells apart the two 02:30s of the night the clocks go back', () => {
    expect(berlin.at('2026-10-25T00:30:00.000Z')).toBe('2026-10-25 02:30 (Europe/Berlin, UTC+02:00)');
    expect(berlin.at('2026-10-25T01:30:00.000Z')).toBe('2026-10-25 02:30 (Europe/Berlin, UTC+01:00)');
  });

  it('writes a range compactly within a day and in full across days', () => {
    expect(berlin.range('2026-11-30T13:05:00.000Z', '2026-11-30T13:05:40.000Z')).toBe('2026-11-30 14:05 (Europe/Berlin, UTC+01:00)');
    expect(berlin.range('2026-11-30T13:05:00.000Z', '2026-11-30T13:09:00.000Z')).toBe('2026-11-30 14:05–14:09 (Europe/Berlin, UTC+01:00)');
    // The zone once, after both times: it was said after each (walk, 6 Dec).
    expect(berlin.range('2026-11-30T22:55:00.000Z', '2026-11-30T23:05:00.000Z')).toBe('2026-11-30 23:55 – 2026-12-01 00:05 (Europe/Berlin, UTC+01:00)');
    // Both, when the offset changed between them (the night daylight saving ends).
    expect(berlin.range('2026-10-24T23:30:00.000Z', '2026-10-25T01:30:00.000Z')).toBe('2026-10-25 01:30 (Europe/Berlin, UTC+02:00) – 2026-10-25 02:30 (Europe/Berlin, UTC+01:00)');
  });

  it('takes the zone from TANDEM_TIMEZONE, else the server’s own, and refuses one that does not exist', () => {
    expect(loadConfig({ TANDEM_TIMEZONE: 'America/New_York' }).timeZone).toBe('America/New_York');
    expect(loadConfig({}).timeZone).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => loadConfig({ TANDEM_TIMEZONE: 'Mars/Olympus_Mons' })).toThrow(/TANDEM_TIMEZONE: not an IANA time zone/);
  });
});

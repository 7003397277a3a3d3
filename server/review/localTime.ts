/**
 * Times as the exports write them: local wall time in the clinic's zone, with the zone and its UTC
 * offset, e.g. "2026-11-30 14:05 (Europe/Berlin, UTC+01:00)", or "(UTC)" in UTC itself. A printed record outlives the screen
 * that would have converted an ISO instant for its reader; the offset keeps the hour that a
 * daylight-saving change repeats unambiguous.
 */
export interface LocalTimes {
  /** One instant. */
  at(iso: string): string;
  /** One instant to the second (the audit log). */
  atSecond(iso: string): string;
  /** From one instant to another: "2026-11-30 14:05–14:09 (…)", or one time when both read the same; the zone once unless its offset changed between them. */
  range(fromIso: string, toIso: string): string;
}

interface Parts {
  date: string;
  time: string;
  second: string;
  zone: string;
}

/** Formatters for one IANA zone (made once per export: building Intl formats is not free). */
export function localTimes(timeZone: string): LocalTimes {
  const wall = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  // UTC itself (or a name of it: Etc/UTC, GMT, Zulu) read "(UTC, UTC+00:00)", the zone said twice
  // in every time of an export from a server left on UTC (walk, 6 Dec): it is said once.
  const isUtc = wall.resolvedOptions().timeZone === 'UTC';
  const parts = (iso: string): Parts => {
    const date = new Date(iso);
    const p = Object.fromEntries(wall.formatToParts(date).map((x) => [x.type, x.value]));
    // "GMT+01:00", or plain "GMT" at offset zero.
    const gmt = offset.formatToParts(date).find((x) => x.type === 'timeZoneName')?.value ?? 'GMT';
    return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, second: p.second ?? '00', zone: isUtc ? 'UTC' : `${timeZone}, ${gmt === 'GMT' ? 'UTC+00:00' : gmt.replace('GMT', 'UTC')}` };
  };
  const at = (iso: string) => {
    const p = parts(iso);
    return `${p.date} ${p.time} (${p.zone})`;
  };
  return {
    at,
    atSecond(iso) {
      const p = parts(iso);
      return `${p.date} ${p.time}:${p.second} (${p.zone})`;
    },
    range(fromIso, toIso) {
      const from = parts(fromIso);
      const to = parts(toIso);
      if (from.zone !== to.zone) return `${at(fromIso)} – ${at(toIso)}`;
      // Across midnight the zone is said once too, after both times.
      if (from.date !== to.date) return `${from.date} ${from.time} – ${to.date} ${to.time} (${from.zone})`;
      return from.time === to.time ? at(fromIso) : `${from.date} ${from.time}–${to.time} (${from.zone})`;
    },
  };
}

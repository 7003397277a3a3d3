import { formatOffset } from '../../../shared/domain/observation';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const timeWithSeconds = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Wall-clock time of an instant (ISO or ms), in the reader's zone. */
export function formatTime(at: string | number, seconds = false): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '—' : (seconds ? timeWithSeconds : time).format(date);
}

/**
 * "12:34 after the start" when the clock ran, "after the end, +01:21" for changes made after it
 * ended (the note is finished then: counted on from the start, it read as a moment of the session),
 * else the wall time. Times in ms.
 */
export function sessionMoment(at: number, startedAt: number | null, endedAt: number | null = null): string {
  if (startedAt === null) return formatTime(at, true);
  if (at < startedAt) return `before the start (${formatTime(at, true)})`;
  if (endedAt !== null && at > endedAt) return `after the end, +${formatOffset(at - endedAt)} (${formatTime(at, true)})`;
  return `${formatOffset(at - startedAt)} after the start (${formatTime(at, true)})`;
}

/** A digest shortened for the screen (the full one is in the title and the print). */
export function shortDigest(digest: string | null): string {
  return digest ? `${digest.slice(0, 12)}…` : '—';
}

/** Display words for domain values, in one place so every page says the same thing. */
export { kindLabel, statusLabel } from '../shared/domain/sessionLabels';
import type { AccountRole, MemberRole } from '../shared/domain/roles';

export const accountRoleLabel: Record<AccountRole, string> = {
  admin: 'Admin',
  clinician: 'Clinician',
  supervisor: 'Supervisor',
};

export const memberRoleLabel: Record<MemberRole, string> = {
  therapist: 'Therapist',
  supervisor: 'Supervisor',
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A date-time (ISO text or epoch ms) in the reader's locale and zone; an em dash when there is none. */
export function formatDateTime(when: string | number | null | undefined): string {
  if (when === null || when === undefined || when === '') return '—';
  const date = new Date(when);
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date);
}

const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** A day without its year or time ("4 Dec", "Dec 4" by locale); an em dash when there is none. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : day.format(date);
}

/** A size in bytes as people read it: "640 KB", "12.5 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

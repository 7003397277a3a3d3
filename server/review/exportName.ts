import type { SessionRecord } from '../persistence/ports';
import { localTimes } from './localTime';

/**
 * The file name an export downloads as: `tandem-<date>-<title>-<id>.<ext>`, e.g.
 * `tandem-2026-11-30-tuesday-group-3f2a9c1b.md`: the session's date (scheduled, else created) in
 * the clinic's zone, its title in lower-case ASCII words (at most 40 characters), and the first
 * eight characters of its id, so two sessions of one day and title stay apart in a downloads
 * folder. ASCII only, without quotes: it goes into a Content-Disposition header as it is.
 */
export function exportFileName(session: Pick<SessionRecord, 'id' | 'title' | 'scheduledAt' | 'createdAt'>, timeZone: string, ext: 'md' | 'pdf'): string {
  const date = localTimes(timeZone).at(new Date(session.scheduledAt ?? session.createdAt).toISOString()).slice(0, 10);
  const title = session.title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return ['tandem', date, title, session.id.slice(0, 8)].filter((part) => part !== '').join('-') + `.${ext}`;
}

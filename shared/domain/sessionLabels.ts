/**
 * The words people read for a session's kind and state, shared by the web client's pages and the
 * server's exports (Markdown and PDF), so a record says "Kind: Individual" wherever it is read.
 */
import type { SessionKind, SessionStatus } from './session';

export const kindLabel: Record<SessionKind, string> = {
  individual: 'Individual',
  couple: 'Couple',
  family: 'Family',
  group: 'Group',
};

export const statusLabel: Record<SessionStatus, string> = {
  scheduled: 'Scheduled',
  live: 'Live',
  ended: 'Ended',
  signed: 'Signed',
  reviewed: 'Reviewed',
};

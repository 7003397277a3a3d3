import { coreSchema } from './migrations/v1Core';
import { reviewSchema } from './migrations/v2Review';
import { snapshotMeta, sessionVersion } from './migrations/v3v4Columns';
import { learningSchema } from './migrations/v5Learning';
import { supervisorSchema } from './migrations/v6Supervisor';
import { membersSchema } from './migrations/v7Members';
import { announcementsSchema } from './migrations/v8Announcements';
import { shareConsentSchema } from './migrations/v9ShareConsent';
import { debriefVersionsSchema } from './migrations/v10DebriefVersions';
import { replyRootsSchema } from './migrations/v11ReplyRoots';
import { processLeasesSchema } from './migrations/v12ProcessLeases';
import { startPassesSchema } from './migrations/v13StartPasses';
import { noticeSessionsSchema } from './migrations/v14NoticeSessions';

/**
 * Versioned schema for PostgreSQL, the same tables as `sqlite/migrations.ts`. Append new versions;
 * never edit a released one. Every process migrates forward at start, all pending versions in one
 * transaction under an advisory lock, so several processes starting at once apply each version once.
 *
 * Types: timestamps are bigint milliseconds (as in SQLite), document data is bytea, audit detail
 * is jsonb, and `seq`/`id` are bigserial (the adapter reads int8 as a JS number: 2^53 is far away).
 */
export const postgresMigrations: readonly string[] = [coreSchema, reviewSchema, snapshotMeta, sessionVersion, learningSchema, supervisorSchema, membersSchema, announcementsSchema, shareConsentSchema, debriefVersionsSchema, replyRootsSchema, processLeasesSchema, startPassesSchema, noticeSessionsSchema];

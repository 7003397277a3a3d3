import { announcementsSchema } from './v8Announcements';
import { shareConsentSchema } from './v9ShareConsent';
import { debriefVersionsSchema } from './v10DebriefVersions';
import { replyRootsSchema } from './v11ReplyRoots';
import { processLeasesSchema } from './v12ProcessLeases';
import { startPassesSchema } from './v13StartPasses';
import { noticeSessionsSchema } from './v14NoticeSessions';

/** SQLite's schema versions from 8 on, in order (migrations.ts holds 1 to 7): each in a file of its own. */
export const laterVersions: readonly string[] = [announcementsSchema, shareConsentSchema, debriefVersionsSchema, replyRootsSchema, processLeasesSchema, startPassesSchema, noticeSessionsSchema];

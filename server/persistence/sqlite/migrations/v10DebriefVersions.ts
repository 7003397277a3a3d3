import { debriefVersionsTable } from '../../debriefVersionsTable';

/** Version 10: every saved version of a huddle or debrief field, append-only (see debriefVersionsTable.ts). */
export const debriefVersionsSchema = debriefVersionsTable('INTEGER');

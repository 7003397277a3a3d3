/** What a session's page shows of its process notes (`GET /api/sessions/:id/process-note`). */
export interface ProcessNoteView {
  processSessionId: string;
  retainDays: number | null;
  /** ISO time it was shared with the supervisor, or null. */
  sharedAt: string | null;
  createdAt: string;
  /** When the retention setting removes it (ISO), or null when it is kept until removed. */
  removesAt: string | null;
}

import type { ConcordanceView } from '../../shared/domain/concordance';
import type { CommentAnchor, CommentView, ReviewBlock, ReviewObservation, ReviewPerson, ReviewView } from '../../shared/domain/review';
import { apiRequest } from './http';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

/** `fromNotePage`: read by the note's own page for its record (audited as such, not as the review). */
/** `background`: a page's own poll, which does not count as use of the login (shared/protocol/background.ts). */
export function fetchReview(id: string, fromNotePage = false, opts: { background?: boolean } = {}): Promise<ReviewView> {
  return apiRequest('GET', `${base(id)}/review${fromNotePage ? '?page=note' : ''}`, undefined, opts);
}

export interface Timeline {
  /** Epoch ms (the server's clock), or null when the clock never started / stopped. */
  startedAt: number | null;
  endedAt: number | null;
  /** Every moment (ms) the stored note changed, ascending. */
  points: number[];
}

export function fetchTimeline(id: string): Promise<Timeline> {
  return apiRequest('GET', `${base(id)}/timeline`);
}

export interface Replay {
  at: number;
  blocks: ReviewBlock[];
  observations: ReviewObservation[];
  authors: ReviewPerson[];
  /** The risk records as they stood then. */
  risk: ReviewView['risk'];
}

export function fetchReplay(id: string, at: number): Promise<Replay> {
  return apiRequest('GET', `${base(id)}/replay?at=${Math.max(1, Math.round(at))}`);
}

export function fetchComments(id: string): Promise<CommentView[]> {
  return apiRequest('GET', `${base(id)}/comments`);
}

export function createComment(id: string, anchor: CommentAnchor, body: string): Promise<CommentView> {
  return apiRequest('POST', `${base(id)}/comments`, { anchor, body });
}

export function replyToComment(id: string, parentId: string, body: string): Promise<CommentView> {
  return apiRequest('POST', `${base(id)}/comments`, { parentId, body });
}

export function updateComment(id: string, commentId: string, body: string): Promise<CommentView> {
  return apiRequest('PATCH', `${base(id)}/comments/${encodeURIComponent(commentId)}`, { body });
}

export function deleteComment(id: string, commentId: string): Promise<void> {
  return apiRequest('DELETE', `${base(id)}/comments/${encodeURIComponent(commentId)}`);
}

/** Where the Markdown export downloads from (a plain link: the cookie travels with it). */
export function markdownExportUrl(id: string): string {
  return `${base(id)}/export.md`;
}

/** Where the PDF export (authorship labelled for greyscale print) downloads from. */
export function pdfExportUrl(id: string): string {
  return `${base(id)}/export.pdf`;
}

export function fetchConcordance(id: string, windowSeconds: number): Promise<ConcordanceView> {
  return apiRequest('GET', `${base(id)}/concordance?window=${windowSeconds}`);
}

import { apiRequest } from './http';
import type { Attendance } from './memberNotes';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export function startSession(id: string): Promise<{ status: string; startedAt: string }> {
  return apiRequest('POST', `${base(id)}/start`);
}

/** Ends the session; a group session with the attendance its therapist confirmed (stored with the end). */
export function endSession(id: string, attendance?: Record<string, Attendance>): Promise<{ status: string; endedAt: string }> {
  return apiRequest('POST', `${base(id)}/end`, attendance ? { attendance } : undefined);
}

export interface SignResult {
  status: string;
  digest: string;
  locked: boolean;
  /** Therapists whose signature on this content is still missing. */
  waitingFor: string[];
}

/** `digest`: of the note as this page shows it (collab/noteDigest.ts); the server refuses to sign when the stored note's differs. */
export function signSession(id: string, digest: string | undefined): Promise<SignResult> {
  return apiRequest('POST', `${base(id)}/sign`, digest === undefined ? undefined : { digest });
}

export function cosignSession(id: string): Promise<{ status: string; digest: string }> {
  return apiRequest('POST', `${base(id)}/cosign`);
}

export function returnSession(id: string, reason: string): Promise<{ status: string }> {
  return apiRequest('POST', `${base(id)}/return`, { reason });
}

export interface VerifyResult {
  status: string;
  /** SHA-256 of the note as stored now. */
  digest: string;
  /** The digest the note was locked with (null while it is not locked). */
  signedDigest: string | null;
  matches: boolean | null;
  signatures: { kind: 'signed' | 'cosigned'; by: string; at: string; digest: string | null }[];
}

/** `background`: a page's own poll, which does not count as use of the login (shared/protocol/background.ts). */
export function verifySession(id: string, opts: { background?: boolean } = {}): Promise<VerifyResult> {
  return apiRequest('GET', `${base(id)}/verify`, undefined, opts);
}

/** `requestId`: one per draft; sending the draft again adds nothing more (200 with the first one). */
export function addAddendum(id: string, text: string, requestId: string): Promise<{ id: string; at: string }> {
  return apiRequest('POST', `${base(id)}/addenda`, { text, requestId });
}

/**
 * `editedFrom`: the labels the list was edited from; the server refuses the save (409
 * `labels_changed`) when they changed meanwhile (server/services/groupMembers.ts).
 */
export async function setGroupMembers(id: string, labels: string[], editedFrom: string[]): Promise<string[]> {
  const res = await apiRequest<{ labels: string[] }>('PUT', `${base(id)}/group-members`, { labels, base: editedFrom });
  return res.labels;
}

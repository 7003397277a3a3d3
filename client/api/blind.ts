import type { BlindAnchor, BlindStateView, PrivateObservationView } from '../../shared/domain/blind';
import { apiRequest } from './http';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}/blind`;

/** `background`: a page's own poll, which does not count as use of the login (shared/protocol/background.ts). */
export function fetchBlind(id: string, opts: { background?: boolean } = {}): Promise<BlindStateView> {
  return apiRequest('GET', base(id), undefined, opts);
}

export function setBlind(id: string, enabled: boolean): Promise<BlindStateView> {
  return apiRequest('PUT', base(id), { enabled });
}

export function fetchPrivateObservations(id: string, opts: { background?: boolean } = {}): Promise<PrivateObservationView[]> {
  return apiRequest('GET', `${base(id)}/observations`, undefined, opts);
}

export function addPrivateObservation(id: string, body: { tags: string[]; member: string | null; forCoTherapist: boolean; anchor: BlindAnchor }): Promise<PrivateObservationView> {
  return apiRequest('POST', `${base(id)}/observations`, body);
}

export type RevealOutcome = { revealed: true; state: BlindStateView } | { revealed: false; waitingFor: string[]; notWaitedFor: string[]; message: string; state: BlindStateView };

export function pressReveal(id: string): Promise<RevealOutcome> {
  return apiRequest('POST', `${base(id)}/reveal`, {});
}

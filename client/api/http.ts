/**
 * The one fetch wrapper every API call goes through, so errors have a single typed shape and the
 * CSRF rule (state-changing requests carry `Content-Type: application/json`) cannot be forgotten.
 */
import { BACKGROUND_HEADER } from '../../shared/protocol/background';
import { answerFromDevice, keepAnswer } from '../offline/deviceAnswers';
import { forgetRefused } from '../offline/forgetOnDevice';
import { answeredBy } from '../offline/offlineStatus';
import { timedAnswer } from './slowAnswers';
import { validationText } from './validationText';

/** An error answered by the API (or a network failure, with status 0 and code `network_error`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; field?: unknown };
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody | null;
  const err = body?.error;
  const code = typeof err?.code === 'string' ? err.code : `http_${res.status}`;
  const field = typeof err?.field === 'string' ? err.field : undefined;
  const raw = typeof err?.message === 'string' ? err.message : `The server answered ${res.status}.`;
  // The schema's reasons are for programmers: say them in words about the field.
  const message = code === 'invalid_input' ? validationText(raw, field) : raw;
  return new ApiError(res.status, code, message, field);
}

/** Why a request got no answer, in words: an offline device is told that this needs the connection. */
function networkErrorText(): string {
  return navigator.onLine
    ? 'The server could not be reached. Check the connection and try again.'
    : 'This device is offline; this needs the connection to the server.';
}

/**
 * Sends one request to the API and returns the parsed JSON body (`undefined` for 204).
 * The cookie travels by itself (same origin); the server is the only one that can read it.
 * A GET the server cannot be reached for is answered from what this device kept (offline/deviceAnswers.ts).
 */
export async function apiRequest<T>(method: Method, path: string, body?: unknown, opts: { background?: boolean } = {}): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...(opts.background ? { [BACKGROUND_HEADER]: '1' } : {}) } };
  if (method !== 'GET') {
    // Always JSON, even with no body: the server's CSRF check keys on this header.
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    // The person's own requests are watched for a slow answer (said by SlowAnswerNotice); polls are not theirs.
    res = opts.background ? await fetch(path, init) : await timedAnswer(method !== 'GET', () => fetch(path, init));
  } catch {
    const kept = method === 'GET' ? await answerFromDevice(path) : null;
    if (kept) {
      answeredBy('device');
      return kept.body as T;
    }
    throw new ApiError(0, 'network_error', networkErrorText());
  }
  answeredBy('server');
  if (!res.ok) {
    if (method === 'GET' && (res.status === 403 || res.status === 404)) await forgetRefused(path);
    throw await toApiError(res);
  }
  if (res.status === 204) return undefined as T;
  const answer = (await res.json()) as T;
  if (method === 'GET') await keepAnswer(path, answer);
  return answer;
}

/** A message fit to show a person, whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

import { ApiError } from '../api/http';

/** The message shown on the login page after the server stopped recognising the login. */
export const EXPIRED_MESSAGE =
  'You were logged out, or your login expired. Log in again to continue; edits not yet saved stay on this device.';

/** Whether the server answered "not logged in any more" (HTTP 401): the login ended, this is no page error. */
export function isExpiry(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

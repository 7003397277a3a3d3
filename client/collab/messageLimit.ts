/**
 * The largest message the server accepts, as its last hello said, remembered on this device so
 * that edits made offline, before any hello, are checked against it too.
 */
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../shared/protocol/messageSize';

const KEY = 'tandem-max-message-bytes';

export function recallMessageLimit(): number {
  try {
    const stored = Number(window.localStorage.getItem(KEY));
    return Number.isInteger(stored) && stored > 0 ? stored : DEFAULT_MAX_MESSAGE_BYTES;
  } catch {
    return DEFAULT_MAX_MESSAGE_BYTES;
  }
}

export function rememberMessageLimit(bytes: number): void {
  try {
    window.localStorage.setItem(KEY, String(bytes));
  } catch {
    // Storage can be disabled: then offline edits are checked against the default.
  }
}

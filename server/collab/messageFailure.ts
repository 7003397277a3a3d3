import { CloseCode } from '../../shared/protocol/closeCodes';
import type { Logger } from '../log';
import type { Connection } from './Connection';
import { WireError } from './wire';

/**
 * Ends the connection whose message could not be handled, and only it: `BadMessage` (4400, final)
 * for bytes that are not the protocol, `ServerError` (1011, transient) for a failure of the
 * server's own, logged as an error and told to `onServerError` (the operator's count,
 * `tandem_messages_failed_total`). Never throws: a client's message must not be able to end
 * the process (attack, 3 Dec: one frame threw past every handler and exited it).
 */
export function closeForFailure(conn: Connection, err: unknown, log: Logger, sessionId: string, onServerError?: () => void): 'bad_message' | 'server_error' {
  if (err instanceof WireError) {
    log.warn('bad message; closing connection', { sessionId, connectionId: conn.id, code: CloseCode.BadMessage });
    conn.close(CloseCode.BadMessage, err.message);
    return 'bad_message';
  }
  log.error('handling a message failed; closing its connection', { sessionId, connectionId: conn.id, code: CloseCode.ServerError, err });
  conn.close(CloseCode.ServerError, 'the server failed to handle a message; reconnecting sends it again');
  onServerError?.();
  return 'server_error';
}

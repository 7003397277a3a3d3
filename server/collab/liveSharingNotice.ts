import type { LiveSharing } from '../fanout/outageRecovery';
import type { Connection } from './Connection';
import { encodeNotice } from './wire';

/**
 * Tells every page on this process when live sharing with the other processes stops and when it
 * is back, and a page that connects while it is stopped. In a 4-minute Redis silence, A's page
 * lacked 2,387 of B's lines (B on another process) and neither page said anything (operator fault
 * test, 2 Dec). Returns the greeting for a new connection, sent after its hello.
 */
export function tellLiveSharing(sharing: LiveSharing, connections: () => Iterable<Connection>): (conn: Connection) => void {
  sharing.onChange((interrupted) => {
    const notice = encodeNotice({ type: 'live-sharing', interrupted });
    for (const conn of connections()) conn.send(notice);
  });
  return (conn) => {
    if (sharing.interrupted) conn.send(encodeNotice({ type: 'live-sharing', interrupted: true }));
  };
}

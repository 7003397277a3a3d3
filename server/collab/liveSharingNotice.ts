import type { LiveSharing } from '../fanout/outageRecovery';
import type { PeerSilence } from '../fanout/peerWatch';
import type { Connection } from './Connection';
import { encodeNotice } from './wire';

/**
 * Tells every page on this process when live sharing with the other processes stops and when it
 * is back, and a page that connects while it is stopped. In a 4-minute Redis silence, A's page
 * lacked 2,387 of B's lines (B on another process) and neither page said anything (operator fault
 * test, 2 Dec). Stopped means this process's own Redis link is down (every page), or another
 * process that has the page's note open is not heard on Redis (that note's pages: peerWatch.ts).
 * Each page is told of a change of its own state only. Returns the greeting for a new connection,
 * sent after its hello.
 */
export function tellLiveSharing(sharing: LiveSharing, peers: PeerSilence, connections: () => Iterable<Connection>): (conn: Connection) => void {
  const told = new WeakMap<Connection, boolean>();
  const tell = (conn: Connection) => {
    const interrupted = sharing.interrupted || peers.silentHolds(conn.sessionId);
    if ((told.get(conn) ?? false) === interrupted) return;
    told.set(conn, interrupted);
    conn.send(encodeNotice({ type: 'live-sharing', interrupted }));
  };
  const tellAll = () => {
    for (const conn of connections()) tell(conn);
  };
  sharing.onChange(tellAll);
  peers.onChange(tellAll);
  return tell;
}

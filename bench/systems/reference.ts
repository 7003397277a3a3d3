/**
 * The reference: @y/websocket-server 0.1.1's `setupWSConnection` mounted on a plain http + `ws` 8
 * server (the same transport as every other system; the package itself ships ws 6).
 * Storage: none unless YPERSISTENCE names a directory, in which case the package stores every
 * update in LevelDB through y-leveldb (its own module-level switch, read at import time).
 * Room = the request path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { announceListening, HOST, onShutdown, silenceConsole, WS_OPTIONS } from './common';

silenceConsole(); // before the import: the package announces its persistence with console.info
const { setupWSConnection, getPersistence } = await import('@y/websocket-server/utils');

const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, ...WS_OPTIONS });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req));
});

server.listen(0, HOST, () => announceListening((server.address() as AddressInfo).port));

/** The typing of getPersistence() omits the LevelDB handle it carries (y-leveldb's class). */
interface LevelPersistence {
  provider?: { tr: Promise<unknown>; destroy(): Promise<void> };
}

onShutdown(async () => {
  for (const ws of wss.clients) ws.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  server.close();
  // y-leveldb queues every operation on one promise chain (`tr`). A document whose load was still
  // queued when its last client left queues its catch-up write only once that load resolves, i.e.
  // possibly after a destroy() queued now: the package would then exit without storing it. So wait
  // until the chain stops growing, then close.
  const ldb = (getPersistence() as LevelPersistence | null)?.provider;
  if (ldb) {
    for (let settled = false; !settled; ) {
      const tr = ldb.tr;
      await tr;
      await new Promise((resolve) => setImmediate(resolve));
      settled = ldb.tr === tr;
    }
    await ldb.destroy();
  }
});

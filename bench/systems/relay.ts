/**
 * The physical ceiling of the rig: a `ws` server with rooms that forwards every binary frame to
 * the other sockets of its room. No Yjs, no state, no storage, no echo to the sender.
 * Room = the request path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { announceListening, HOST, onShutdown, silenceConsole, WS_OPTIONS } from './common';

silenceConsole();
const rooms = new Map<string, Set<WebSocket>>();
const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, ...WS_OPTIONS });

wss.on('connection', (ws, req) => {
  const name = (req.url ?? '/').split('?', 1)[0] ?? '/';
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  const members = room;
  members.add(ws);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    for (const other of members) if (other !== ws && other.readyState === other.OPEN) other.send(data, { binary: isBinary });
  });
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0) rooms.delete(name);
  });
});

server.listen(0, HOST, () => announceListening((server.address() as AddressInfo).port));
onShutdown(async () => {
  for (const ws of wss.clients) ws.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

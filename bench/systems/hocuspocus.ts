/**
 * @hocuspocus/server (3.4.3: the newest major that runs on Node 20; 4.x needs Node 22) with SQLite
 * persistence written here through its onLoadDocument/onStoreDocument hooks, the same contract as
 * @hocuspocus/extension-database (not installed): fetch the stored state, store the full state.
 * No Throttle extension. Debounce from HOCUSPOCUS_DEBOUNCE_MS (harness default 0: store after
 * every change, the same durability window as the other stores) and HOCUSPOCUS_MAX_DEBOUNCE_MS.
 * SQLite in WAL mode with synchronous=NORMAL: better-sqlite3 is synchronous, so a per-commit fsync
 * would block Hocuspocus's event loop in a way the async drivers it is normally used with do not.
 */
import path from 'node:path';
import { Server } from '@hocuspocus/server';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { announceListening, HOST, onShutdown, silenceConsole, WS_OPTIONS } from './common';

silenceConsole();
const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir) throw new Error('BENCH_DATA_DIR is required');
const debounce = Number(process.env.HOCUSPOCUS_DEBOUNCE_MS ?? '0');
const maxDebounce = Number(process.env.HOCUSPOCUS_MAX_DEBOUNCE_MS ?? '10000');

const db = new Database(path.join(dataDir, 'hocuspocus.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)');
const selectDoc = db.prepare('SELECT data FROM documents WHERE name = ?');
const upsertDoc = db.prepare('INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data');

const server = new Server(
  {
    port: 0,
    address: HOST,
    quiet: true,
    stopOnSignals: false,
    debounce,
    maxDebounce,
    async onLoadDocument({ document, documentName }) {
      const row = selectDoc.get(documentName) as { data: Buffer } | undefined;
      if (row) Y.applyUpdate(document, new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));
      return document;
    },
    async onStoreDocument({ document, documentName }) {
      upsertDoc.run(documentName, Buffer.from(Y.encodeStateAsUpdate(document)));
    },
  },
  WS_OPTIONS,
);

await server.listen();
announceListening(server.address.port);

onShutdown(async () => {
  // destroy() closes every connection, which stores each document once more before unloading it.
  await server.destroy();
  db.close();
});

// `npm start`: build the web client and the server if either is missing or older than its sources,
// then serve the compiled JavaScript (no TypeScript compiler in the running server or its threads).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureClientBuilt } from './buildClient.mjs';
import { ensureServerBuilt } from './buildServer.mjs';

const root = path.resolve(import.meta.dirname, '..');
const status = ensureClientBuilt() || (await ensureServerBuilt());
if (status !== 0) process.exit(status);
// Source maps: stack traces in the log name the TypeScript lines.
const server = spawn(process.execPath, ['--enable-source-maps', 'dist/server/main.js'], { cwd: root, stdio: 'inherit' });
// Pass stop signals on, so the server can store pending edits before it exits.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => server.kill(signal));
// npm passes on SIGTERM and SIGINT only: ended otherwise (SIGHUP, SIGKILL), it leaves this script
// without its parent, and the server ran on, serving (attack, 5 Dec). Then the server is stopped
// as by SIGTERM, once (a second SIGTERM would end it without storing).
const parent = process.ppid;
const orphaned = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(orphaned);
  server.kill('SIGTERM');
}, 1000);
orphaned.unref();
server.on('exit', (code) => process.exit(code ?? 1));

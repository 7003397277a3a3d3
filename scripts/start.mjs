// `npm start`: build the web client if it is missing or older than its sources, then serve.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureClientBuilt } from './buildClient.mjs';

const root = path.resolve(import.meta.dirname, '..');
const status = ensureClientBuilt();
if (status !== 0) process.exit(status);
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, stdio: 'inherit' });
// Pass stop signals on, so the server can store pending edits before it exits.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 1));

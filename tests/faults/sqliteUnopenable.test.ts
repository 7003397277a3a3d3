import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { serverBuildDir } from '../helpers/serverBuild';
import { tempDir } from '../helpers/startTestServer';

/** Starts the compiled server on `dataDir`; resolves with its exit code and what it wrote, once it ended. */
function startFailing(dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(serverBuildDir, 'main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TANDEM_DATA_DIR: dataDir, TANDEM_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

// Operator fault test, 6 Dec: a database the SQLite thread could not open ended the start with
// `Tandem could not start: [object Object]` (the thread's SqliteError crossed to the main thread as
// `{ code }`, its message lost): nothing said which file, nor what was wrong with it.
it.each([
  ['a directory where the database file should be', (dir: string) => fs.mkdirSync(path.join(dir, 'tandem.db')), 'SQLITE_CANTOPEN'],
  ['a file that is not a database', (dir: string) => fs.writeFileSync(path.join(dir, 'tandem.db'), 'not a database, just words '.repeat(200)), 'SQLITE_NOTADB'],
])('says which database could not be opened and why when it finds %s, and exits', async (_what, spoil, code) => {
  const dataDir = tempDir();
  spoil(dataDir);
  const { code: exit, output } = await startFailing(dataDir);
  expect(exit).toBe(1);
  expect(output).not.toContain('[object Object]');
  expect(output).toContain(`Tandem could not start: the SQLite database ${path.join(dataDir, 'tandem.db')} could not be opened`);
  expect(output).toContain(code);
});

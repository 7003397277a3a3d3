// `npm test`: the type check and the architecture check run beside the test suite instead of
// before it, and the run fails when any of the three fails. The suite keeps both cores busy; the
// checks take one core for 15–25 s, which beside the suite costs it about half that (measured on
// 2 cores: `npm test` 334 s in sequence, 322 s beside). Arguments go to vitest (`npm test -- tests/unit`).
import { spawn } from 'node:child_process';

/** Runs `npm run -s <script>`, keeping its output to print in one piece when it ends. */
function check(script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (err) => output.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      const text = Buffer.concat(output).toString().trim();
      console.log(`\n── ${script}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s${text ? `\n${text}` : ''}\n`);
      resolve(code === 0);
    });
  });
}

const suite = new Promise((resolve) => {
  const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('error', () => resolve(false));
  child.on('close', (code) => resolve(code === 0));
});

const started = Date.now();
const results = await Promise.all([check('typecheck'), check('check:architecture'), suite]);
// The suite's time is a goal of its own (≤ 5 min on 2 cores): every run says it.
console.log(`npm test took ${Math.round((Date.now() - started) / 1000)} s`);
if (results.includes(false)) {
  console.error(`npm test failed: ${['typecheck', 'check:architecture', 'vitest'].filter((_, i) => !results[i]).join(', ')}`);
  process.exit(1);
}

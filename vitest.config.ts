// The test runner's settings, apart from vite.config.ts: the app's build (which `npm start` runs)
// then never loads the runner, a development dependency.
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config';

export default mergeConfig(viteConfig, defineConfig({
  test: {
    root: '.',
    environment: 'node',
    globalSetup: ['tests/globalSetup.ts'],
    setupFiles: ['tests/setupCompiledWorkers.ts'],
    // Bounds for a stuck test, not measures of speed (`npm run bench` measures): on a machine whose
    // cores are busy with other work, a test that starts server processes took over 30 s.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's own default (1 s) failed first syncs of healthy clients on a loaded machine; a
    // poll that succeeds returns as soon as it does, so a longer bound costs nothing when green.
    expect: { poll: { timeout: 10_000 } },
    // The tests wait more than they compute (polls, backoffs, fsyncs, fault timers): with two
    // workers on two cores `npm test` used 470 s of CPU in 479 s, one core's worth. Measured on a
    // fresh clone, 6 Dec: 2 workers 479 s, 3 workers 369 s, 4 workers 352 s, all green; three
    // keeps most of the gain with the least crowding of the browser tests.
    maxWorkers: 3,
    // `npm test` runs both projects: the server and browser tests, and the client's hooks and
    // components in jsdom. (Each project's include is its own: a root include would be merged in.)
    projects: [
      // `npm run test:soak` runs the long load and soak scripts instead of the suite.
      // Not isolated: a worker keeps the modules it has loaded from one test file to the next.
      // Isolated, every file re-evaluated the server, playwright and their packages in a fresh
      // process: 280 of the node project's 470 s under load (measured on tests/integration and
      // tests/unit: 426 s isolated, 157 s not). Safe because nothing the tests load keeps module
      // state (STYLE.md habit 7; metrics have a registry per server) and each file's servers,
      // browsers and clients are closed by its own hooks (helpers' deferCleanup).
      {
        extends: true,
        test: { name: 'node', isolate: false, include: process.env.TANDEM_SOAK ? ['tests/soak/**/*.soak.ts'] : ['tests/**/*.test.ts'] },
      },
      // Not isolated either: isolated, each file loaded jsdom, React and Tiptap again (the client
      // project took 73 CPU-s, 81 s; not isolated 16 CPU-s, 9 s; 6 Dec). Files that keep data in
      // the fake IndexedDB use their own account names.
      { extends: true, test: { name: 'client', isolate: false, include: process.env.TANDEM_SOAK ? [] : ['tests/client/**/*.test.tsx'], environment: 'jsdom' } },
    ],
  },
}));

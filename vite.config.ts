import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const apiTarget = process.env.TANDEM_API ?? 'http://localhost:8080';

export default defineConfig({
  root: 'client',
  plugins: [react()],
  // No source maps: the server would otherwise hand the client's whole source to anyone who asks.
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: false },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget },
      '/sync': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    root: '.',
    // `npm run test:soak` runs the long load and soak scripts instead of the suite.
    include: process.env.TANDEM_SOAK ? ['tests/soak/**/*.soak.ts'] : ['tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server tests open real ports and files; two workers match the two cores we have.
    maxWorkers: 2,
  },
});

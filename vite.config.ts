import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vite';

const apiTarget = process.env.TANDEM_API ?? 'http://localhost:8080';

export default defineConfig({
  root: 'client',
  plugins: [
    react(),
    // The installable app shell: a service worker that precaches the built files (and only them),
    // so a reload without a network opens the app; the notes and API answers a device keeps for
    // offline use live in IndexedDB, per account, never in the service worker's caches.
    VitePWA({
      // A new build waits until the person agrees to reload (UpdateNotice), or until every Tandem
      // tab is closed: never a reload in the middle of a sentence.
      registerType: 'prompt',
      // Workbox's production build always (its default follows NODE_ENV, which is `test` when the
      // test suite builds the client): the tests run the service worker people get.
      mode: 'production',
      injectRegister: null,
      manifest: {
        name: 'Tandem — session notes',
        short_name: 'Tandem',
        description: 'Live shared session notes for co-therapists',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#2b5c8a',
        background_color: '#f5f6f8',
        icons: [
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
        ],
      },
      workbox: {
        // The manifest and its icons are added by the plugin itself.
        globPatterns: ['**/*.{js,css,html}'],
        // Every page of the app is the same shell; the server's own paths are never answered by it.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz$/, /^\/metrics$/],
        // No runtime caching at all: API answers (clinical content) never enter the worker's caches.
        runtimeCaching: [],
        // The first page is served by the worker at once, so its lazily loaded pages work offline too.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  // No source maps: the server would otherwise hand the client's whole source to anyone who asks.
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: false },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget },
      '/sync': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
    },
  },
});

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/startTestServer';

const builtAssets = path.resolve(import.meta.dirname, '../../dist/client/assets');

/** The installable app shell as `npm start` serves it from the built client. */
describe('app shell: the service worker, its manifest and the page are served fresh, at the root scope', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  const get = (p: string) => fetch(server.baseUrl + p);

  it('serves the service worker from the root (scope /) and never from a stale cache', async () => {
    const res = await get('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const source = await res.text();
    // It precaches the page and hands every app path to it, but never the server's own paths.
    expect(source).toContain('index.html');
    expect(source).toContain('NavigationRoute');
    expect(source).toMatch(/denylist:\s*\[\s*\/\^\\\/api\\\//);
  });

  it('serves the page and the manifest fresh, and the hashed files they name for an hour', async () => {
    for (const p of ['/', '/sessions/any', '/index.html', '/manifest.webmanifest']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('cache-control'), p).toBe('no-cache');
    }
    const asset = fs.readdirSync(builtAssets).find((f) => f.endsWith('.js'));
    const res = await get(`/assets/${asset}`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('has a manifest that makes the app installable: name, start URL, theme colour and icons that exist', async () => {
    const manifest = (await (await get('/manifest.webmanifest')).json()) as { name: string; start_url: string; display: string; theme_color: string; icons: { src: string; sizes: string; type: string }[] };
    expect(manifest.name).toContain('Tandem');
    expect(manifest.start_url).toBe('/');
    expect(manifest.display).toBe('standalone');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) {
      const res = await get(icon.src);
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type'), icon.src).toContain(icon.type);
    }
    expect(await (await get('/')).text()).toContain('<link rel="manifest" href="/manifest.webmanifest">');
  });

  it('answers the API with no-store, so no cache (the service worker’s included) keeps clinical content', async () => {
    const res = await get('/api/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

// README walk: two therapists; A offline (reload), types; B quotes the line; A back online.
import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8097';
const pw = 'correct horse battery staple';
async function api(cookie, method, path, body) {
  const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json', origin: base, ...(cookie ? { cookie } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text(); if (!r.ok) throw new Error(`${method} ${path} ${r.status} ${text}`);
  return { json: text ? JSON.parse(text) : null, cookie: r.headers.get('set-cookie')?.split(';')[0] };
}
const admin = (await api(null, 'POST', '/api/setup', { email: 'admin@clinic.org', name: 'Admin', password: pw })).cookie;
const aId = (await api(admin, 'POST', '/api/users', { email: 'alex@clinic.org', name: 'Alex Moreno', password: pw, role: 'clinician' })).json.id;
const bId = (await api(admin, 'POST', '/api/users', { email: 'blair@clinic.org', name: 'Blair Okafor', password: pw, role: 'clinician' })).json.id;
const aCookie = (await api(null, 'POST', '/api/auth/login', { email: 'alex@clinic.org', password: pw })).cookie;
const sid = (await api(aCookie, 'POST', '/api/sessions', { title: 'Tuesday individual', kind: 'individual' })).json.id;
await api(aCookie, 'POST', `/api/sessions/${sid}/members`, { userId: bId, role: 'therapist' });
await api(aCookie, 'POST', `/api/sessions/${sid}/start`);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
async function open(email) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${base}/sessions/${sid}`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(pw);
  await page.getByTestId('login-submit').click();
  await page.locator('.ProseMirror').waitFor();
  return page;
}
const a = await open('alex@clinic.org');
const b = await open('blair@clinic.org');
await a.locator('.ProseMirror p').first().click();
await a.keyboard.type('Client says she feels safe at home now.');
const until = async (f) => { for (let i = 0; i < 150; i++) { if (await f()) return; await new Promise((r) => setTimeout(r, 100)); } throw new Error('timed out'); };
await until(async () => (await b.locator('.ProseMirror').innerText()).includes('safe at home now.'));
await until(async () => (await a.getByTestId('save-state').innerText()) === 'Saved');
await a.context().setOffline(true);
await a.reload();
await a.locator('.ProseMirror').waitFor();
await a.locator('.ProseMirror p', { hasText: 'safe at home' }).click();
await a.keyboard.press('End');
await a.keyboard.type(' She has slept badly all week.');
await b.locator('.ProseMirror p', { hasText: 'safe at home' }).click();
await b.getByRole('button', { name: /quote/i }).click();
await until(async () => (await b.getByTestId('save-state').innerText()) === 'Saved');
await a.context().setOffline(false);
await until(async () => (await a.getByTestId('kept-offline-notice').count()) > 0);
await until(async () => (await a.getByTestId('save-state').innerText()) === 'Saved');
await a.screenshot({ path: '/tmp/walk15-a.png' });
await until(async () => (await b.locator('.ProseMirror').innerText()).includes('She has slept badly all week.'));
await b.screenshot({ path: '/tmp/walk15-b.png' });
console.log('A:', JSON.stringify(await a.locator('.ProseMirror').innerText()));
console.log('B:', JSON.stringify(await b.locator('.ProseMirror').innerText()));
console.log('notice:', await a.getByTestId('kept-offline-notice').innerText());
await browser.close();

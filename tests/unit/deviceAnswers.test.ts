import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/domain/account';

/** The browser's localStorage, as far as the module uses it (Node has none). */
function installLocalStorage(): Map<string, string> {
  const items = new Map<string, string>();
  const storage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, String(v)),
    removeItem: (k: string) => void items.delete(k),
  };
  (globalThis as unknown as { window: { localStorage: typeof storage } }).window = { localStorage: storage };
  return items;
}

const items = installLocalStorage();
const { answerFromDevice, forgetAnswers, keepAnswer, recallAccount, rememberAccount } = await import('../../client/offline/deviceAnswers');

const account = (id: string, name: string): AccountView => ({ id, email: `${id}@clinic.test`, name, role: 'clinician', active: true, color: '#2563eb', createdAt: '2026-11-30T10:00:00.000Z' });
const alex = account('alex', 'Alex');
const blair = account('blair', 'Blair');
const session = (id: string, title: string) => ({ id, title, members: [] });

describe('answers kept on the device for offline use', () => {
  beforeAll(async () => {
    await keepAnswer('/api/me', alex);
    await keepAnswer('/api/sessions/s1', session('s1', 'Alex’s group'));
    await keepAnswer('/api/tags', [{ id: 't1', name: 'Affect' }]);
    // Not kept: lists from the server, other routes.
    await keepAnswer('/api/sessions', [session('s1', 'Alex’s group'), session('s9', 'never opened here')]);
    await keepAnswer('/api/sessions/s1/access', [{ who: 'someone' }]);
  });

  it('answers the opened session, the codebook and the account; the list is the sessions opened here', async () => {
    expect(await answerFromDevice('/api/me')).toEqual({ body: alex });
    expect(await answerFromDevice('/api/sessions/s1')).toEqual({ body: session('s1', 'Alex’s group') });
    expect(await answerFromDevice('/api/tags')).toEqual({ body: [{ id: 't1', name: 'Affect' }] });
    expect(await answerFromDevice('/api/sessions')).toEqual({ body: [session('s1', 'Alex’s group')] });
    expect(await answerFromDevice('/api/sessions/s9')).toBeNull();
    expect(await answerFromDevice('/api/sessions/s1/access')).toBeNull();
  });

  it('keeps each account’s answers apart: another account signed in reads none of them', async () => {
    rememberAccount(blair);
    expect(await answerFromDevice('/api/sessions/s1')).toBeNull();
    expect(await answerFromDevice('/api/sessions')).toEqual({ body: [] });
    await keepAnswer('/api/sessions/s2', session('s2', 'Blair’s couple'));
    rememberAccount(alex);
    expect(await answerFromDevice('/api/sessions')).toEqual({ body: [session('s1', 'Alex’s group')] });
  });

  it('forgets everything of an account at logout, and the account itself', async () => {
    await forgetAnswers(alex.id);
    expect(recallAccount()).toBeNull();
    expect(await answerFromDevice('/api/me')).toBeNull();
    rememberAccount(alex);
    expect(await answerFromDevice('/api/sessions')).toEqual({ body: [] });
    expect((await indexedDB.databases()).map((d) => d.name)).toEqual(expect.arrayContaining(['tandem-answers:blair']));
  });

  it('does not take a damaged account record for an account', () => {
    items.set('tandem-device-account', JSON.stringify({ id: 'x', role: 'owner' }));
    expect(recallAccount()).toBeNull();
  });
});

/**
 * Lets the client's own API wrapper (client/api/http.ts) talk to a real test server from jsdom.
 * The browser would resolve `/api/...` against the page and send the login cookie and Origin by
 * itself; Node's fetch does neither, so this resolves the path and adds both, and nothing else.
 * It also counts the requests per path, for tests that care how often the client asked.
 */
import { onTestFinished } from 'vitest';
import type { Person } from '../helpers/api';

export interface ServerFetch {
  /** Requests sent so far, as `METHOD /path`. */
  sent: string[];
  /** Whose login cookie the requests carry from now on. */
  as(person: Person): void;
  /** While true every request fails as a browser's does without a network. */
  offline: boolean;
}

export function useServerFetch(baseUrl: string): ServerFetch {
  const realFetch = globalThis.fetch;
  let cookie: string | null = null;
  const state: ServerFetch = {
    sent: [],
    offline: false,
    as: (person) => {
      cookie = person.api.cookie;
    },
  };
  globalThis.fetch = (input, init = {}) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname + input.search : input.url;
    state.sent.push(`${init.method ?? 'GET'} ${path}`);
    if (state.offline) return Promise.reject(new TypeError('Failed to fetch'));
    const headers = new Headers(init.headers);
    headers.set('origin', new URL(baseUrl).origin);
    if (cookie) headers.set('cookie', cookie);
    return realFetch(new URL(path, baseUrl), { ...init, headers });
  };
  onTestFinished(() => {
    globalThis.fetch = realFetch;
  });
  return state;
}

/**
 * What most browser test files start from: a real server on port 0 serving the built client
 * (tests/globalSetup.ts builds it once), a clinic (admin, two clinicians, a supervisor, an
 * outsider) and the worker's Chromium. The file closes its browser contexts in its afterAll; the
 * server closes itself after the file.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createSession, expectStatus, type Clinic } from '../helpers/api';
import type { TestServer } from '../helpers/startTestServer';
import { chromiumForFile, closeContexts, closePagesAfterEachTest } from './browser';
import { startClinic } from '../helpers/clinic';

export interface BrowserClinic {
  server: TestServer;
  clinic: Clinic;
  browser: Browser;
}

export async function browserClinic(): Promise<BrowserClinic> {
  const { server, clinic } = await startClinic();
  return { server, clinic, browser: await chromiumForFile() };
}

/** A session A creates (B co-therapist, the supervisor reviewing), with these group-member labels. */
export async function sessionWithMembers(clinic: Clinic, kind: 'group' | 'individual', labels: string[] = []): Promise<string> {
  const id = await createSession(clinic, kind);
  if (labels.length > 0) await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels }), 200, 'group-member labels');
  return id;
}

export interface BrowserSession extends BrowserClinic {
  sessionId: string;
}

/** How a file's tests share its browser: see {@link useBrowserClinic}. */
export interface BrowserClinicOptions {
  /** Leave each test's pages open for the next test (a file whose tests go on from one page). */
  keepPagesBetweenTests?: boolean;
}

/**
 * Registers the file's beforeAll (a browser clinic) and the closing of its browser contexts after
 * each test (or, with keepPagesBetweenTests, after the file); the fields are set once beforeAll ran.
 * Pages left open keep their sockets, live streams and polls going through every later test of the
 * file: by the fourth test of the blind-mode file a test that takes 12 s alone took 27–43 s.
 */
export function useBrowserClinic(opts: BrowserClinicOptions = {}): BrowserClinic {
  const ctx = {} as BrowserClinic;
  beforeAll(async () => {
    Object.assign(ctx, await browserClinic());
  });
  if (!opts.keepPagesBetweenTests) closePagesAfterEachTest(() => ctx.browser);
  afterAll(async () => {
    await closeContexts(ctx.browser);
  });
  return ctx;
}

/** As {@link useBrowserClinic}, with one session of `kind` and these group-member labels. */
export function useBrowserSession(kind: 'group' | 'individual', labels: string[] = [], opts: BrowserClinicOptions = {}): BrowserSession {
  const ctx = useBrowserClinic(opts) as BrowserSession;
  beforeAll(async () => {
    ctx.sessionId = await sessionWithMembers(ctx.clinic, kind, labels);
  });
  return ctx;
}

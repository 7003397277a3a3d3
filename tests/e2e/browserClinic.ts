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
import { chromiumForFile, closeContexts } from './browser';
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

/**
 * Registers the file's beforeAll (a browser clinic) and afterAll (closes its browser contexts); the fields
 * are set once beforeAll ran.
 */
export function useBrowserClinic(): BrowserClinic {
  const ctx = {} as BrowserClinic;
  beforeAll(async () => {
    Object.assign(ctx, await browserClinic());
  });
  afterAll(async () => {
    await closeContexts(ctx.browser);
  });
  return ctx;
}

/** As {@link useBrowserClinic}, with one session of `kind` and these group-member labels. */
export function useBrowserSession(kind: 'group' | 'individual', labels: string[] = []): BrowserSession {
  const ctx = useBrowserClinic() as BrowserSession;
  beforeAll(async () => {
    ctx.sessionId = await sessionWithMembers(ctx.clinic, kind, labels);
  });
  return ctx;
}

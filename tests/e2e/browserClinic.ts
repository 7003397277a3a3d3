/**
 * What most browser test files start from: the built client, a real server on port 0, a clinic
 * (admin, two clinicians, a supervisor, an outsider) and Chromium. The file closes the browser in
 * its afterAll; the server closes itself after the file.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createSession, expectStatus, type Clinic } from '../helpers/api';
import { ensureClientBuilt } from '../helpers/clientBuild';
import type { TestServer } from '../helpers/startTestServer';
import { launchChromium } from './browser';
import { startClinic } from '../helpers/clinic';

export interface BrowserClinic {
  server: TestServer;
  clinic: Clinic;
  browser: Browser;
}

export async function browserClinic(): Promise<BrowserClinic> {
  ensureClientBuilt();
  const { server, clinic } = await startClinic();
  return { server, clinic, browser: await launchChromium() };
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
 * Registers the file's beforeAll (a browser clinic) and afterAll (closes the browser); the fields
 * are set once beforeAll ran.
 */
export function useBrowserClinic(): BrowserClinic {
  const ctx = {} as BrowserClinic;
  beforeAll(async () => {
    Object.assign(ctx, await browserClinic());
  });
  afterAll(async () => {
    await ctx.browser?.close();
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

import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import { createSession } from '../helpers/api';
import { POLL, chromiumAvailable, editorSelectionState, noteText, openPageAs, openSessionAs, tagNextLine, typeInParagraph } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

// Attack, 6 Dec, in the browser: Blair pressed Backspace at the start of the line after Alex's tagged
// line; his observation then quoted both lines in his name, and nothing showed who joined them.
describe.skipIf(!hasChromium)('browser: a co-therapist joining a line into the other’s tagged line', () => {
  const ctx = useBrowserSession('group');

  it('shows on the author’s session page and on the review page who changed what the observation quotes, and what it quoted as tagged', async () => {
    const { clinic, server, browser } = ctx;
    const sessionId = await createSession(clinic, 'group');
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    const b = await openSessionAs(browser, server.baseUrl, clinic.b, sessionId);
    await typeInParagraph(a, 1, 'M2 talked about home.');
    await tagNextLine(a, 'f'); // Follow-up
    await a.keyboard.type('tearful when her father came up.');
    await a.keyboard.press('Enter');
    await a.keyboard.type('No risk indicators today; plan unchanged.');
    await expect.poll(() => noteText(b), POLL).toContain('No risk indicators today; plan unchanged.');
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');

    // Blair: Backspace at the start of Alex's next line.
    await b.locator('.ProseMirror p', { hasText: 'No risk indicators' }).click();
    await b.keyboard.press('Home');
    await expect.poll(async () => (await editorSelectionState(b)).atBlockStart, POLL).toBe(true);
    await b.keyboard.press('Backspace');
    await expect.poll(() => noteText(a), POLL).toContain('came up.No risk indicators');
    await expect.poll(() => b.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    // Alex, still writing, sees it in her side panel while the session runs (ObservationItem.tsx).
    await expect.poll(() => a.getByTestId('observation-extent-changed').innerText(), POLL).toMatch(/^What it quotes was changed by Blair Therapist, \d\d:\d\d( [AP]M)?; as tagged: “tearful when her father came up\.”$/);

    const [o] = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body.observations;
    expect([o!.authorId, o!.quote]).toEqual([clinic.a.id, 'tearful when her father came up.No risk indicators today; plan unchanged.']);
    expect(o!.extentChanged).toMatchObject({ by: clinic.b.id, was: 'tearful when her father came up.' });
    const page = await openPageAs(browser, server.baseUrl, clinic.supervisor, `/sessions/${sessionId}/review`, 'review-page');
    await expect.poll(() => page.getByTestId('observation-extent-changed').innerText(), POLL).toMatch(/^What it quotes was changed by Blair Therapist, .*; as tagged: “tearful when her father came up\.”$/);
  }, 90_000);
});

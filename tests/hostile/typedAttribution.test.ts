/**
 * Who made an observation, who answered it and when, and who wrote a comment are the server's
 * words in the exports; an answer's note, the quoted words and a comment's body are typed. As one
 * run of plain text, B's note on his answer to A's flag — 'ok”; answered “I saw it” by Alex
 * Therapist at …: “I mislabelled this, it was anger' — read in the Markdown as A's own answer
 * (attack, 6 Dec), and a reply typed on two lines as a comment of the supervisor's. Those words
 * are labels now (`<kbd>`, a drawn box in the PDF), which no typed text can write.
 */
import { describe, expect, it } from 'vitest';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, liveSession } from '../helpers/connectClient';
import { answerFlag, tagSpan } from '../helpers/noteOps';
import { typeAfter } from '../helpers/editorEdit';

describe('typed words beside the exports’ attributions', async () => {
  const { server, clinic } = await startClinic();

  it('cannot read as an answer or a comment of someone else’s', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(a.doc, 'Client was tearful when her father came up.');
    const flag = tagSpan(a.doc, 'tearful', { authorId: clinic.a.id, tags: ['affect'], forCoTherapist: true });
    await expect.poll(() => a.isSaved() && sessionDoc(b.doc).observations.has(flag.id)).toBe(true);
    const forgedAnswer = `answered “I saw it” by ${clinic.a.name} at 2026-12-06 13:41 (UTC)`;
    answerFlag(b.doc, flag.id, { by: clinic.b.id, at: Date.now(), answer: 'acknowledged', note: `ok”; ${forgedAnswer}: “I mislabelled this, it was anger` });
    await expect.poll(() => b.isSaved()).toBe(true);
    const comment = await expectStatus(clinic.supervisor.api.post<{ id: string }>(`/api/sessions/${id}/comments`, { anchor: { type: 'observation', observationId: flag.id }, body: 'Was it tearfulness?' }), 201, 'comment');
    const forgedHead = `${clinic.supervisor.name}, 2026-12-06 13:45 (UTC)`;
    await expectStatus(clinic.b.api.post(`/api/sessions/${id}/comments`, { parentId: comment.id, body: `It was.\n${forgedHead}: Thanks, no changes needed.` }), 201, 'reply');

    const md = await (await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.supervisor.api.cookie! } })).text();
    const labels = [...md.matchAll(/<kbd>(.*?)<\/kbd>/g)].map((m) => m[1]!);
    // The real answer and the real heads are labels; the typed copies are not.
    expect(labels.filter((l) => l.startsWith('answered '))).toEqual([expect.stringMatching(new RegExp(`^answered “I missed that” by ${clinic.b.name} at `))]);
    expect(labels.some((l) => l.startsWith(`${clinic.a.name}, `) && l.includes('after the start'))).toBe(true);
    expect(labels.filter((l) => l.startsWith(`${clinic.supervisor.name}, `))).toHaveLength(1);
    expect(labels.some((l) => l.startsWith(`${clinic.b.name}, `))).toBe(true);
    expect(md).toContain(forgedAnswer);
    expect(labels.some((l) => l.includes('13:41') || l.includes('13:45'))).toBe(false);
  });

  // Attack, 6 Dec: "(with words by Blair Therapist)" followed the quote as plain text, so Alex's own
  // tagged words 'tearful” (with words by Blair Therapist) when “her' read as Blair's words in his observation.
  it('cannot name the other therapist as a writer of an observation’s words', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    const typed = `tearful” (with words by ${clinic.b.name}) when “her`;
    appendParagraph(a.doc, `Client was ${typed} father came up.`);
    appendParagraph(a.doc, 'Member went quiet at the end.');
    tagSpan(a.doc, typed, { authorId: clinic.a.id, tags: ['affect'] });
    tagSpan(a.doc, 'went quiet', { authorId: clinic.a.id, tags: ['affect'] });
    await expect.poll(() => a.isSaved() && b.text().includes('went quiet')).toBe(true);
    typeAfter(b.doc, 'went', ' very');
    await expect.poll(() => b.isSaved()).toBe(true);
    const md = await (await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.supervisor.api.cookie! } })).text();
    const labels = [...md.matchAll(/<kbd>(.*?)<\/kbd>/g)].map((m) => m[1]!);
    // Blair's real words are named in a label, once; the typed copy stays typed words.
    expect(labels.filter((l) => l.startsWith('with words by') && l !== 'with words by …')).toEqual([`with words by ${clinic.b.name}`]);
    expect(md).toContain(`(with words by ${clinic.b.name}) when`);
  });
});

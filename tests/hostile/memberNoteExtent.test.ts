/**
 * A member note is the member's clinical record: its list of the member's observations must say
 * when the other therapist changed which words one of them quotes, as the group note's review does.
 * Attack, 6 Dec: B's Backspace at the start of A's next line joined "No risk indicators today; plan
 * unchanged." into A's tagged line about M1; the group review said "what it quotes changed by
 * Blair…", but M1's note listed "Affect (M1): tearful when her father came up.No risk indicators
 * today; plan unchanged. — Alex Therapist", all of it hers. The entry now says who changed it, when,
 * and what it quoted as tagged, in the server's words; the quoted words are their writers' (the
 * exports label them with their initials), so words typed to read as that label stay the typist's.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewRun, ReviewView } from '../../shared/domain/review';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, liveGroupWithLine } from '../helpers/connectClient';
import { joinToLineBefore, tagLine } from '../helpers/noteOps';

const TAGGED = 'tearful when her father came up.';
const NEXT = 'No risk indicators today; plan unchanged.';
// A's own tagged line, typed to read as the label the server adds.
const IMITATION = 'calm — Alex Therapist; what it quotes changed by Blair Therapist, 2026-12-06 10:42 (UTC) — as tagged: “calm and settled”';

describe('a member note’s list of observations', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });

  it('says in the server’s words who changed what an observation quotes, when, and what it quoted as tagged; typed words cannot pass as it', async () => {
    const { id, a } = await liveGroupWithLine(server.baseUrl, clinic, 'Check-in.');
    const joined = tagLine(a.doc, 'Affect — ', TAGGED, { authorId: clinic.a.id, tags: ['affect'], member: 'M1' });
    appendParagraph(a.doc, NEXT);
    tagLine(a.doc, 'Affect — ', IMITATION, { authorId: clinic.a.id, tags: ['affect'], member: 'M1' });
    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => a.isSaved() && b.provider.synced && b.text().includes(IMITATION)).toBe(true);
    const before = Date.now();
    joinToLineBefore(b.doc, NEXT);
    await expect.poll(() => b.isSaved()).toBe(true);
    await expect.poll(() => sessionDoc(a.doc).extents.get(joined.id)?.by).toBe(clinic.b.id);
    const at = sessionDoc(a.doc).extents.get(joined.id)!.at;
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    a.destroy();
    b.destroy();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');

    const entry = await expectStatus(clinic.a.api.get<{ noteSessionId: string | null }>(`/api/sessions/${id}/member-notes/M1`), 200, 'member note');
    const noteId = entry.noteSessionId!;
    const md = await (await fetch(`${server.baseUrl}/api/sessions/${noteId}/export.md`, { headers: { cookie: clinic.a.api.cookie! } })).text();
    const items = md.slice(md.indexOf('This member’s observations')).split('\n').filter((l) => l.startsWith('- '));
    const time = new Date(at).toISOString().slice(0, 16).replace('T', ' ');
    const label = `what it quotes changed by ${clinic.b.name}, ${time} (UTC) — as tagged: “${TAGGED}”`;
    const real = items.find((l) => l.includes(NEXT))!;
    expect(real).toContain(`${TAGGED}${NEXT}`);
    expect(real).toContain(`— ${clinic.a.name}; ${label}`);
    // Which label stands last before "what it quotes changed": the server's words ("group note"), or the typist's initials.
    const lastChip = (line: string) => [...line.slice(0, line.indexOf('what it quotes changed')).matchAll(/<kbd>([^<]*)<\/kbd>/g)].at(-1)?.[1];
    expect(lastChip(real)).toBe('group note');
    const typed = items.find((l) => l.includes('calm and settled'))!;
    expect(lastChip(typed)).toBe('AT');

    // The member note's review (its page) reads the same: the label is no one's words, the imitation Alex's.
    const review = await expectStatus(clinic.a.api.get<ReviewView>(`/api/sessions/${noteId}/review`), 200, 'member note review');
    const runs: ReviewRun[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        if ('text' in v && 'authorId' in v) runs.push(v as ReviewRun);
        else Object.values(v).forEach(walk);
      }
    };
    walk(review.blocks);
    const runsOf = (words: string) => runs.filter((r) => r.text.includes(words)).map((r) => r.authorId);
    expect(runsOf(`changed by ${clinic.b.name}, ${time}`)).toEqual([null]);
    // In the group part (M1's tagged line) and in the list: Alex's words both times.
    expect(runsOf('changed by Blair Therapist, 2026-12-06 10:42')).toEqual([clinic.a.id, clinic.a.id]);
  });
});

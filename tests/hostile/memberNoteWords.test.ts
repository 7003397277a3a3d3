/**
 * A co-therapist may write inside another's tagged words, and the member notes read whom an
 * observation concerns from those words: B's raw socket wrote " M2" into A's tagged "was tearful"
 * (no member), and M2's note listed "Affect: was M2 tearful — Alex Therapist" in the server's
 * words, as if A had written all of it (attack, 6 Dec). The list now names every other writer of
 * the words it quotes, as the group note's review does.
 */
import { describe, expect, it } from 'vitest';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { connectClient, liveGroupWithLine } from '../helpers/connectClient';
import { findText, tagSpan } from '../helpers/noteOps';

describe('a member note’s list of observations', async () => {
  const { server, clinic } = await startClinic();

  it('names who else wrote the words an observation quotes', async () => {
    const { id, a } = await liveGroupWithLine(server.baseUrl, clinic, 'Client was tearful when her father came up. M1 laughed.');
    const tearful = tagSpan(a.doc, 'was tearful', { authorId: clinic.a.id, tags: ['affect'] });
    tagSpan(a.doc, 'M1 laughed', { authorId: clinic.a.id, tags: ['affect'] });
    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => a.isSaved() && b.provider.synced && sessionDoc(b.doc).observations.has(tearful.id)).toBe(true);
    const { text, index } = findText(b.doc, 'was tearful');
    text.insert(index + 3, ' M2');
    await expect.poll(() => b.isSaved()).toBe(true);
    a.destroy();
    b.destroy();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');

    const listed = async (member: string) => {
      const entry = await expectStatus(clinic.a.api.get<{ noteSessionId: string | null }>(`/api/sessions/${id}/member-notes/${member}`), 200, 'member note');
      const md = await (await fetch(`${server.baseUrl}/api/sessions/${entry.noteSessionId}/export.md`, { headers: { cookie: clinic.a.api.cookie! } })).text();
      return md.slice(md.indexOf('This member’s observations')).split('\n').filter((l) => l.startsWith('- '));
    };
    // The quote is labelled with its first writer's initials, the server's words after it as the group note's.
    expect((await listed('M2')).join('\n')).toContain(`Affect: <kbd>AT</kbd> was M2 tearful <kbd>group note</kbd> (with words by ${clinic.b.name}) — ${clinic.a.name}`);
    // Her own words alone name no one else.
    expect((await listed('M1')).join('\n')).toContain(`Affect: <kbd>AT</kbd> M1 laughed <kbd>group note</kbd> — ${clinic.a.name}`);
  });
});

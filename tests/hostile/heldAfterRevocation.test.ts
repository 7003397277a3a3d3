import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, serverText } from '../helpers/connectClient';
import { craftFrom, roundTrip, updateOf } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { storedText } from '../helpers/storedNote';

describe('an update held back for a missing dependency, when its sender loses access meanwhile', async () => {
  const { server, clinic } = await startClinic();

  it('is dropped, not applied once the dependency arrives, even while the sender never answers the close', async () => {
    const sessionId = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: clinic.outsider.id, role: 'therapist' }), 201, 'add a third therapist');
    const headers = (cookie: string | null) => ({ cookie: cookie!, origin: server.baseUrl });

    // B's next edit, not sent yet; the third therapist writes into it, so theirs depends on it.
    const bRaw = await openRaw(server.baseUrl, sessionId, headers(clinic.b.api.cookie));
    const bDoc = craftFrom(await roundTrip(bRaw));
    const bEdit = updateOf(bDoc, () => appendParagraph(bDoc, 'B wrote this line'));
    const cRaw = await openRaw(server.baseUrl, sessionId, headers(clinic.outsider.api.cookie));
    const cDoc = craftFrom(await roundTrip(cRaw));
    Y.applyUpdate(cDoc, bEdit);
    const cEdit = updateOf(cDoc, () => {
      const note = cDoc.getXmlFragment(NOTE_FIELD);
      ((note.get(note.length - 1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'WRITTEN BY THE REMOVED ');
    });
    cRaw.ws.send(updateFrame(cEdit));
    await roundTrip(cRaw);
    // The removed member's client stops reading: it never answers the server's close.
    cRaw.ws.pause();

    await expectStatus(clinic.a.api.request('DELETE', `/api/sessions/${sessionId}/members/${clinic.outsider.id}`), 204, 'remove the third therapist');
    bRaw.ws.send(updateFrame(bEdit));
    await roundTrip(bRaw);

    const text = await serverText(server.baseUrl, sessionId, clinic.supervisor.api.cookie);
    expect(text).toContain('B wrote this line');
    expect(text).not.toContain('WRITTEN BY THE REMOVED');
    expect(await storedText({ dataDir: server.dataDir }, sessionId)).not.toContain('WRITTEN BY THE REMOVED');
  });
});

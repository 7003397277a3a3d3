import { expect } from 'vitest';
import * as Y from 'yjs';
import type { Store } from '../../server/persistence/ports';
import { noteFrom } from '../../server/review/noteReadings';
import { storedNoteParts } from '../../server/review/sessionNote';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { Person } from './api';
import { appendParagraph } from './connectClient';
import { findText } from './noteOps';

/**
 * In a blind session: stores a line of the note as `author`'s client update would be, and posts
 * `author`'s private observation (a tagged line after "went quiet") on it.
 */
export async function privateObservationOnALine(store: Store, author: Person, sessionId: string): Promise<void> {
  const typed = new Y.Doc();
  appendParagraph(typed, 'went quiet when his brother spoke');
  await store.docs.append(sessionId, [{ at: Date.now(), accountId: author.id, data: Y.encodeStateAsUpdate(typed) }]);
  const { text, index } = findText(typed, 'went quiet');
  const at = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index + 'went quiet'.length, -1))).toString('base64');
  const observed = await author.api.post(`/api/sessions/${sessionId}/blind/observations`, { tags: ['affect'], member: null, forCoTherapist: false, anchor: { kind: 'line', at } });
  expect(observed.status).toBe(201);
}

/** How many observations the note holds as stored (not as a live copy holds it). */
export const storedObservationCount = async (store: Store, sessionId: string): Promise<number> => sessionDoc(noteFrom(await storedNoteParts(store.docs, sessionId))).observations.size;

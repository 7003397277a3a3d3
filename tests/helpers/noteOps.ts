import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { FlagResponse, Observation } from '../../shared/domain/observation';
import { OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';

/** The paragraph (XmlText inside it) whose text contains `needle`. */
export function findText(doc: Y.Doc, needle: string): { text: Y.XmlText; index: number } {
  for (const node of sessionDoc(doc).note.toArray()) {
    if (!(node instanceof Y.XmlElement)) continue;
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        const index = (child.toDelta() as { insert: string }[]).map((d) => d.insert).join('').indexOf(needle);
        if (index >= 0) return { text: child, index };
      }
    }
  }
  throw new Error(`"${needle}" is not in the note`);
}

/** What the editor does when a therapist tags a span: mark the text and add the record, in one transaction. */
export function tagSpan(doc: Y.Doc, needle: string, record: Partial<Observation> & { authorId: string; tags: string[] }): Observation {
  const observation: Observation = {
    id: randomUUID(), createdAt: Date.now(), kind: 'span', member: null, forCoTherapist: false, ...record,
  };
  doc.transact(() => {
    const { text, index } = findText(doc, needle);
    text.format(index, needle.length, { [OBSERVATION_MARK]: { id: observation.id } });
    sessionDoc(doc).observations.set(observation.id, observation);
  });
  return observation;
}

/**
 * What the editor does for a tagged line: a new paragraph that starts with a label carrying the
 * mark, in one transaction with the record; then the therapist types the words after it, unmarked.
 */
export function tagLine(doc: Y.Doc, label: string, words: string, record: Partial<Observation> & { authorId: string; tags: string[] }): Observation {
  const observation: Observation = {
    id: randomUUID(), createdAt: Date.now(), kind: 'line', member: null, forCoTherapist: false, ...record,
  };
  const text = new Y.XmlText();
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [text]);
    sessionDoc(doc).note.push([paragraph]);
    text.insert(0, label, { [OBSERVATION_MARK]: { id: observation.id } });
    sessionDoc(doc).observations.set(observation.id, observation);
  });
  text.insert(label.length, words, { [OBSERVATION_MARK]: null });
  return observation;
}

export function answerFlag(doc: Y.Doc, observationId: string, response: FlagResponse): void {
  sessionDoc(doc).responses.set(observationId, response);
}

/** The observation ids marked on each character run containing `needle` (to check a tag survived edits). */
export function marksOn(doc: Y.Doc, needle: string): string[] {
  const { text } = findText(doc, needle);
  return (text.toDelta() as { insert: string; attributes?: Record<string, { id: string }> }[])
    .filter((d) => d.insert.includes(needle) || needle.includes(d.insert))
    .map((d) => d.attributes?.[OBSERVATION_MARK]?.id ?? '');
}

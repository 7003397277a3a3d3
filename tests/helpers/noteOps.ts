import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import * as Y from 'yjs';
import type { FlagResponse, Observation } from '../../shared/domain/observation';
import { observationIdFor } from '../../shared/domain/observationIds';
import { MENTION_NODE, OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { createSession, expectStatus, type Clinic } from './api';
import { appendParagraph, connectClient, type TestClient } from './connectClient';

/** The line (its XmlText, in a paragraph, heading, quote or list) whose text contains `needle`. */
export function findText(doc: Y.Doc, needle: string): { text: Y.XmlText; index: number } {
  // In reading order, inside quotes and lists too.
  const search = (nodes: unknown[]): { text: Y.XmlText; index: number } | null => {
    for (const node of nodes) {
      if (node instanceof Y.XmlText) {
        const index = (node.toDelta() as { insert: string }[]).map((d) => d.insert).join('').indexOf(needle);
        if (index >= 0) return { text: node, index };
      } else if (node instanceof Y.XmlElement) {
        const found = search(node.toArray());
        if (found) return found;
      }
    }
    return null;
  };
  const found = search(sessionDoc(doc).note.toArray());
  if (!found) throw new Error(`"${needle}" is not in the note`);
  return found;
}

/** The note's top-level block holding `words` (a paragraph, a heading, a quote or list around them). */
export function topBlockOf(doc: Y.Doc, words: string): Y.XmlElement {
  const note = sessionDoc(doc).note;
  let node: Y.XmlElement | Y.XmlText = findText(doc, words).text;
  while (node.parent !== note) node = node.parent as Y.XmlElement;
  return node as Y.XmlElement;
}

/**
 * Backspace at the start of the line holding `words`, as y-prosemirror writes it: its words, marks
 * and all, join the end of the line before (which keeps its kind), and its block goes.
 */
export function joinToLineBefore(doc: Y.Doc, words: string): void {
  doc.transact(() => {
    const note = sessionDoc(doc).note;
    const index = note.toArray().indexOf(topBlockOf(doc, words));
    const before = (note.get(index - 1) as Y.XmlElement).get(0) as Y.XmlText;
    for (const d of findText(doc, words).text.toDelta() as { insert: string; attributes?: Record<string, unknown> }[]) before.insert(before.length, d.insert, d.attributes ?? {});
    note.delete(index, 1);
  });
}

/** What the editor does when a therapist tags a span: mark the text and add the record, in one transaction. */
export function tagSpan(doc: Y.Doc, needle: string, record: Partial<Observation> & { authorId: string; tags: string[] }): Observation {
  const observation: Observation = {
    id: observationIdFor(record.authorId, randomUUID()), createdAt: Date.now(), kind: 'span', member: null, forCoTherapist: false, ...record,
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
    id: observationIdFor(record.authorId, randomUUID()), createdAt: Date.now(), kind: 'line', member: null, forCoTherapist: false, ...record,
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

/** Inline content as the editor stores it: text, or a mention of a group member (`{ member: 'M2' }`). */
export type Piece = string | { member: string };

function inline(pieces: Piece[]): (Y.XmlText | Y.XmlElement)[] {
  return pieces.map((p) => {
    if (typeof p === 'string') return new Y.XmlText(p);
    const mention = new Y.XmlElement(MENTION_NODE);
    mention.setAttribute('id', p.member);
    return mention;
  });
}

/** A paragraph of text and member mentions, appended to the note (what typing `@M2` in a new line does). */
export function appendPieces(doc: Y.Doc, pieces: Piece[]): void {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, inline(pieces));
  sessionDoc(doc).note.push([p]);
}

/** A bullet list, one item (a paragraph of pieces) per entry, appended to the note. */
export function appendList(doc: Y.Doc, items: Piece[][]): void {
  const list = new Y.XmlElement('bulletList');
  list.insert(0, items.map((pieces) => {
    const item = new Y.XmlElement('listItem');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, inline(pieces));
    item.insert(0, [p]);
    return item;
  }));
  sessionDoc(doc).note.push([list]);
}

/** A heading appended to the note (the templates' sections are level 2). */
export function appendHeading(doc: Y.Doc, text: string, level = 2): void {
  const h = new Y.XmlElement('heading');
  h.setAttribute('level', level as unknown as string);
  h.insert(0, [new Y.XmlText(text)]);
  sessionDoc(doc).note.push([h]);
}

/**
 * A started group session whose note holds "M1 laughed and M2 cried", "laughed" and "cried" each
 * tagged affect and flagged for the co-therapist by A in one update, confirmed stored, with A's
 * client still connected.
 */
export async function twoFlagsFromA(baseUrl: string, clinic: Clinic): Promise<{ id: string; writer: TestClient }> {
  const id = await createSession(clinic);
  await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
  const writer = connectClient(baseUrl, id, clinic.a.api.cookie);
  await expect.poll(() => writer.provider.synced).toBe(true);
  appendParagraph(writer.doc, 'M1 laughed and M2 cried');
  writer.doc.transact(() => {
    tagSpan(writer.doc, 'laughed', { authorId: clinic.a.id, tags: ['affect'], forCoTherapist: true });
    tagSpan(writer.doc, 'cried', { authorId: clinic.a.id, tags: ['affect'], forCoTherapist: true });
  });
  await expect.poll(() => writer.isSaved()).toBe(true);
  return { id, writer };
}

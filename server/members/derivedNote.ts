import * as Y from 'yjs';
import type { RiskEntry } from '../../shared/domain/risk';
import { MENTION_NODE, NOTE_FIELD, sessionDoc } from '../../shared/ydoc/sessionDoc';

/** Inline content of a derived block. */
export type DerivedInline = { text: string; marks?: string[] } | { mention: string } | { break: true };

export interface DerivedBlock {
  type: string;
  attrs: Record<string, unknown>;
  inline?: DerivedInline[];
  children?: DerivedBlock[];
}

export interface DerivedMemberNote {
  blocks: DerivedBlock[];
  /** The member's risk record from the group note (carried into the member note's own `risk` map). */
  risk: RiskEntry | null;
}

/** The derived note as the server's first update of the member note's document. */
export function memberNoteUpdate(derived: DerivedMemberNote, member: string): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getXmlFragment(NOTE_FIELD).insert(0, derived.blocks.map(toYjs));
    if (derived.risk) sessionDoc(doc).risk.set(member, derived.risk);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function toYjs(block: DerivedBlock): Y.XmlElement {
  const el = new Y.XmlElement(block.type);
  // Tiptap wants numbers where they are numbers (a heading's level); Yjs types attributes as strings.
  for (const [k, v] of Object.entries(block.attrs)) if (v !== null && v !== undefined) (el as unknown as Y.XmlElement<Record<string, number | string | boolean>>).setAttribute(k, v as number | string | boolean);
  if (block.inline) {
    // A text node's runs are written as one delta: Yjs then walks the text once. Run by run, each
    // insert walked the runs before it (3.6 s for a paragraph of 6,000 formatted runs; attack, 2 Dec).
    const nodes: (Y.XmlElement | { insert: string; attributes: Record<string, object> }[])[] = [];
    for (const piece of block.inline) {
      if ('mention' in piece || 'break' in piece) {
        const node = new Y.XmlElement('mention' in piece ? MENTION_NODE : 'hardBreak');
        if ('mention' in piece) node.setAttribute('id', piece.mention);
        nodes.push(node);
        continue;
      }
      const last = nodes.at(-1);
      const delta = Array.isArray(last) ? last : [];
      if (delta !== last) nodes.push(delta);
      delta.push({ insert: piece.text, attributes: Object.fromEntries((piece.marks ?? []).map((m) => [m, {}])) });
    }
    el.insert(0, nodes.map((node) => {
      if (!Array.isArray(node)) return node;
      const text = new Y.XmlText();
      // Written before the text joins a document: Yjs keeps it and writes it when it does.
      text.applyDelta(node);
      return text;
    }));
  } else if (block.children) {
    el.insert(0, block.children.map(toYjs));
  }
  return el;
}

import * as Y from 'yjs';
import type { RiskEntry } from '../../shared/domain/risk';
import type { CarriedWords } from '../../shared/note/carriedWords';
import { MENTION_NODE, NOTE_FIELD, sessionDoc } from '../../shared/ydoc/sessionDoc';

/** Where derived words come from: the Yjs id of their run's first character in the group note. */
export interface TextFrom {
  client: number;
  clock: number;
}

/** Inline content of a derived block; `from` is absent on words the server wrote (headings, "another member"). */
export type DerivedInline = { text: string; marks?: string[]; from?: TextFrom } | { mention: string } | { break: true };

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

/** Who wrote the group note's words from `from` on: an account, or null (the server, unknown). */
export type AuthorOf = (from: TextFrom) => string | null;

/** Characters of one derived text, in order, and who wrote each stretch in the group note. */
type Stretches = { len: number; author: string | null }[];

/**
 * The derived note as the server's first update of the member note's document. Its words keep
 * their writers (`authorOf`): the server writes them, and records in the note's `carried` map
 * whose words they carry, as for moved words (shared/note/carriedWords.ts); the review, replay
 * and exports read authorship through it (walk, 4 Dec: a member note's words read as the
 * template's, no one's).
 */
export function memberNoteUpdate(derived: DerivedMemberNote, member: string, authorOf: AuthorOf = () => null): Uint8Array {
  const doc = new Y.Doc();
  const texts = new Map<Y.XmlText, Stretches>();
  doc.transact(() => {
    doc.getXmlFragment(NOTE_FIELD).insert(0, derived.blocks.map((b) => toYjs(b, texts, authorOf)));
    if (derived.risk) sessionDoc(doc).risk.set(member, derived.risk);
  });
  doc.transact(() => {
    const { carried } = sessionDoc(doc);
    for (const c of carriedOf(texts)) carried.set(`${c.client}:${c.clock}`, c);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The carried ranges of the texts' characters, by their Yjs ids now that they are in the document. */
function carriedOf(texts: Map<Y.XmlText, Stretches>): CarriedWords[] {
  const out: CarriedWords[] = [];
  for (const [text, stretches] of texts) {
    // Character offsets of each stretch within the text, walked with its items.
    let stretch = 0;
    let stretchEnd = stretches[0]?.len ?? 0;
    let pos = 0;
    for (let item = text._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue;
      let at = 0;
      while (at < item.length && stretch < stretches.length) {
        const take = Math.min(item.length - at, stretchEnd - (pos + at));
        const { author } = stretches[stretch]!;
        if (author !== null && take > 0) out.push({ client: item.id.client, clock: item.id.clock + at, len: take, author });
        at += take;
        if (pos + at >= stretchEnd) {
          stretch++;
          stretchEnd += stretches[stretch]?.len ?? 0;
        }
      }
      pos += item.length;
    }
  }
  return out;
}

function toYjs(block: DerivedBlock, texts: Map<Y.XmlText, Stretches>, authorOf: AuthorOf): Y.XmlElement {
  const el = new Y.XmlElement(block.type);
  // Tiptap wants numbers where they are numbers (a heading's level); Yjs types attributes as strings.
  for (const [k, v] of Object.entries(block.attrs)) if (v !== null && v !== undefined) (el as unknown as Y.XmlElement<Record<string, number | string | boolean>>).setAttribute(k, v as number | string | boolean);
  if (block.inline) {
    // A text node's runs are written as one delta: Yjs then walks the text once. Run by run, each
    // insert walked the runs before it (3.6 s for a paragraph of 6,000 formatted runs; attack, 2 Dec).
    type TextNode = { delta: { insert: string; attributes: Record<string, object> }[]; stretches: Stretches };
    const nodes: (Y.XmlElement | TextNode)[] = [];
    for (const piece of block.inline) {
      if ('mention' in piece || 'break' in piece) {
        const node = new Y.XmlElement('mention' in piece ? MENTION_NODE : 'hardBreak');
        if ('mention' in piece) node.setAttribute('id', piece.mention);
        nodes.push(node);
        continue;
      }
      const last = nodes.at(-1);
      const text = last && !(last instanceof Y.XmlElement) ? last : { delta: [], stretches: [] };
      if (text !== last) nodes.push(text);
      text.delta.push({ insert: piece.text, attributes: Object.fromEntries((piece.marks ?? []).map((m) => [m, {}])) });
      text.stretches.push({ len: piece.text.length, author: piece.from ? authorOf(piece.from) : null });
    }
    el.insert(0, nodes.map((node) => {
      if (node instanceof Y.XmlElement) return node;
      const text = new Y.XmlText();
      // Written before the text joins a document: Yjs keeps it and writes it when it does.
      text.applyDelta(node.delta);
      texts.set(text, node.stretches);
      return text;
    }));
  } else if (block.children) {
    el.insert(0, block.children.map((b) => toYjs(b, texts, authorOf)));
  }
  return el;
}

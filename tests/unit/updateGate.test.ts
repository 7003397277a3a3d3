import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { memberMention } from '../../client/editor/memberMention';
import { ObservationMark } from '../../client/editor/observationMark';
import { noteShape } from '../../server/collab/noteShape';
import { MAX_NESTING } from '../../server/collab/nestingDepth';
import { inspectUpdate, knownFromDoc, splitUpdate } from '../../server/collab/updateGate';
import { NOTE_CHILDREN, NOTE_MARKS, NOTE_NODES } from '../../shared/note/noteSchema';
import type { ContentMatch, NodeType } from '@tiptap/pm/model';
import { BLOCK_KINDS, LABELLED_ATTRIBUTES } from '../../shared/note/formattedWords';
import { MENTION_NODE, NOTE_FIELD, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { appendParagraph } from '../helpers/connectClient';
import { craftFrom, deleteOnly, updateOf } from '../helpers/craft';

/** The server's note with one paragraph, and a copy a client edits. */
function scene() {
  const server = new Y.Doc();
  sessionDoc(server);
  appendParagraph(server, 'hello');
  const client = craftFrom(Y.encodeStateAsUpdate(server));
  const judge = (update: Uint8Array) => inspectUpdate(knownFromDoc(server), update, noteShape);
  return { server, client, judge };
}

describe('the update gate', () => {
  it('reports typing as complete, with its writer and nothing to refuse', () => {
    const { client, judge } = scene();
    const text = (client.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const facts = judge(updateOf(client, () => text.insert(5, ' world')));
    expect(facts).toMatchObject({ complete: true, changesDoc: true, problem: null, mapWrites: [], mapDeletes: [] });
    expect([...facts.writers]).toEqual([client.clientID]);
  });

  it('works out how far a chain of clients goes in time linear in them, not in their square', () => {
    // Each client writes one letter right after the previous client's; Yjs writes the highest id
    // first, so each client waits for the one after it in the update (attack, 3 Dec: 12,000 of
    // them held the event loop 20 s). The work is counted as reads of the note's clocks.
    const { client, server } = scene();
    const text = (client.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const before = Y.encodeStateVector(client);
    const clients = 3_000;
    for (let k = 0; k < clients; k++) {
      client.clientID = 5_000_000 + k;
      client.transact(() => text.insert(1 + k, 'x'));
    }
    const chain = Y.encodeStateAsUpdate(client, before);
    const known = knownFromDoc(server);
    let reads = 0;
    const counted = { ...known, clock: (c: number) => (reads++, known.clock(c)) };
    const facts = inspectUpdate(counted, chain, noteShape);
    expect([facts.complete, facts.writers.size]).toEqual([true, clients]);
    expect(reads).toBeLessThan(20 * clients);
  });

  // Two client ids writing one value in turn, each after the other's last (two tabs of one device
  // sending their copy together): Yjs takes the update whole, and the gate held it for good as
  // incomplete, telling nobody (attack, 5 Dec).
  it('calls complete an update whose clients wait on each other in turn', () => {
    const { server, judge } = scene();
    const [one, two] = [craftFrom(Y.encodeStateAsUpdate(server), 600_001), craftFrom(Y.encodeStateAsUpdate(server), 600_002)];
    const before = Y.encodeStateVector(one);
    for (let n = 0; n < 10; n++) {
      const [writer, reader] = n % 2 === 0 ? [one, two] : [two, one];
      Y.applyUpdate(reader, updateOf(writer, () => writer.getMap('responses').set('r', { n })));
    }
    const facts = judge(Y.encodeStateAsUpdate(one, before));
    expect([facts.complete, facts.writers.size, facts.mapWrites.length]).toEqual([true, 2, 10]);
  });

  it('calls an update incomplete when it skips clocks, refers to an unseen item, or deletes unseen clocks', () => {
    const { client, judge, server } = scene();
    const text = (client.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    updateOf(client, () => text.insert(0, 'a'));
    const later = updateOf(client, () => text.insert(1, 'b'));
    expect(judge(later)).toMatchObject({ complete: false, gaps: new Set([client.clientID]) });

    const other = craftFrom(Y.encodeStateAsUpdate(client));
    const dependent = updateOf(other, () => other.getMap('observations').set('k', { x: 1 }));
    expect(judge(dependent).complete).toBe(true);
    Y.applyUpdate(server, dependent);
    const onUnseen = updateOf(other, () => ((other.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(2, 'c'));
    expect(judge(onUnseen)).toMatchObject({ complete: false, gaps: new Set() });

    const serverClient = [...Y.decodeStateVector(Y.encodeStateVector(server)).keys()][0]!;
    expect(judge(deleteOnly([{ client: serverClient, clock: 0, len: 1 }])).complete).toBe(true);
    expect(judge(deleteOnly([{ client: serverClient, clock: Y.getState(server.store, serverClient), len: 3 }])).complete).toBe(false);
  });

  it('counts a deletion as a change only where the note still has the text it deletes', () => {
    const { server, judge } = scene();
    const text = (server.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.delete(1, 3);
    const serverClient = [...Y.decodeStateVector(Y.encodeStateVector(server)).keys()][0]!;
    const deleted = Y.createDeleteSetFromStructStore(server.store).clients.get(serverClient)!;
    expect(deleted).toHaveLength(1);
    const { clock, len } = deleted[0]!;
    // A read-only client's sync step 2 carries deletions the note has: nothing to judge.
    expect(judge(deleteOnly([{ client: serverClient, clock, len }])).changesDoc).toBe(false);
    expect(judge(deleteOnly([{ client: serverClient, clock: clock + 1, len: len - 1 }])).changesDoc).toBe(false);
    // One unit past them ("o", still there) is a change, and so is one unit before them ("h").
    expect(judge(deleteOnly([{ client: serverClient, clock, len: len + 1 }])).changesDoc).toBe(true);
    expect(judge(deleteOnly([{ client: serverClient, clock: clock - 1, len: 2 }])).changesDoc).toBe(true);
  });

  it('splits an update Yjs could take only in part: what can go in now, and what waits', () => {
    const { server, client: a, judge } = scene();
    const b = craftFrom(Y.encodeStateAsUpdate(a));
    const textOf = (d: Y.Doc) => (d.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const sinceServer = (d: Y.Doc) => Y.encodeStateAsUpdate(d, Y.encodeStateVector(server));
    // A and B each hold the other's unstored edits with their own on top (as after a crash).
    textOf(a).insert(5, ' a1');
    Y.applyUpdate(b, sinceServer(a));
    textOf(b).insert(8, ' b1');
    Y.applyUpdate(a, sinceServer(b));
    textOf(a).insert(11, ' a2');
    // Each sends only its own items: the server sets aside what is under the other's client id.
    const own = (d: Y.Doc, other: Y.Doc) => Y.diffUpdate(sinceServer(d), Y.encodeStateVector(new Map([[other.clientID, Number.MAX_SAFE_INTEGER]])));
    const fromB = own(b, a);
    const aWhole = own(a, b);
    expect(judge(aWhole).complete).toBe(false);
    expect(judge(fromB).complete).toBe(false);
    const parts = splitUpdate(knownFromDoc(server), aWhole)!;
    expect(judge(parts.ready).complete).toBe(true);
    Y.applyUpdate(server, parts.ready);
    expect(judge(fromB).complete).toBe(true);
    Y.applyUpdate(server, fromB);
    expect(judge(parts.waiting).complete).toBe(true);
    Y.applyUpdate(server, parts.waiting);
    expect(server.store.pendingStructs).toBeNull();
    expect(textOf(server).toString()).toBe('hello a1 b1 a2');
  });

  it('reports every value written under a key, also when Yjs merged them into one item', () => {
    const { client, judge } = scene();
    const facts = judge(updateOf(client, () => {
      for (const n of [1, 2, 3]) client.getMap('observations').set('same', { n });
    }));
    expect(facts.mapWrites.map((w) => w.value)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(facts.problem).toBeNull();
  });

  it('finds where an item lands through its origins, not its encoding', () => {
    const { client, judge, server } = scene();
    const responses = client.getMap('responses');
    Y.applyUpdate(server, updateOf(client, () => responses.set('r', { v: 1 })));
    // The second value carries no parent: it sits after the first, in `responses`.
    const second = updateOf(client, () => responses.set('r', { v: 2 }));
    const facts = judge(second);
    // Written after the first value it saw (its origin), which rewrites() reads.
    const me = client.clientID;
    expect(facts.mapWrites).toEqual([{ map: 'responses', key: 'r', value: { v: 2 }, client: me, id: { client: me, clock: 1 }, origin: { client: me, clock: 0 }, gone: false }]);
    Y.applyUpdate(server, second);
    const deletion = judge(updateOf(client, () => responses.delete('r')));
    expect(deletion.mapDeletes).toEqual([{ map: 'responses', key: 'r', client: me, id: { client: me, clock: 1 } }]);
  });

  it('names content the note cannot hold', () => {
    const cases: [string, (d: Y.Doc) => void][] = [
      ['heading level', (d) => {
        const h = new Y.XmlElement('heading');
        h.setAttribute('level', -5 as unknown as string);
        d.getXmlFragment(NOTE_FIELD).push([h]);
      }],
      ['unknown node', (d) => d.getXmlFragment(NOTE_FIELD).push([new Y.XmlElement('iframe')])],
      ['unknown root', (d) => d.getArray('junk').push([1])],
      ['javascript link', (d) => ((d.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { link: { href: 'javascript:alert(1)' } })],
      // A class or title would let a link pass for an observation or a late entry (attack, 3 Dec).
      ['link with a class', (d) => ((d.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { link: { href: 'https://example.org', class: 'observation' } })],
      ['link with a title', (d) => ((d.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { link: { href: 'https://example.org', title: 'Late entry by B' } })],
      ['unknown mark', (d) => ((d.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { blink: {} })],
      ['text attribute', (d) => ((d.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).setAttribute('x', 'y')],
      ['nested type in a watched map', (d) => sessionDoc(d).observations.set('k', new Y.Map() as never)],
    ];
    for (const [what, write] of cases) {
      const { client, judge } = scene();
      expect(judge(updateOf(client, () => write(client))).problem, what).not.toBeNull();
    }
    const { client, judge } = scene();
    const fine = judge(updateOf(client, () => {
      const h = new Y.XmlElement('heading');
      h.setAttribute('level', 3 as unknown as string);
      h.insert(0, [new Y.XmlText('Plan')]);
      client.getXmlFragment(NOTE_FIELD).push([h]);
      (h.get(0) as Y.XmlText).format(0, 4, { bold: {}, link: { href: 'https://example.org', target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null } });
    }));
    expect(fine.problem).toBeNull();
  });
});

/** An element `name` holding `children` (strings are runs of text). */
function node(name: string, ...children: (Y.XmlElement | string)[]): Y.XmlElement {
  const el = new Y.XmlElement(name);
  el.insert(0, children.map((c) => (typeof c === 'string' ? new Y.XmlText(c) : c)));
  return el;
}

// attack3, 1 Dec: nestings the editor cannot hold were stored and shown by the review and the export
// (order within a node aside: a list item may hold a heading after its first paragraph).
describe('which node the update gate lets sit inside which', () => {
  const refused: [string, () => Y.XmlElement][] = [
    ['text inside a horizontal rule', () => node('horizontalRule', 'hidden words')],
    ['text inside a hard break', () => node('paragraph', node('hardBreak', 'hidden words'))],
    ['a paragraph inside a paragraph', () => node('paragraph', node('paragraph', 'inner'))],
    ['bare text in a bullet list', () => node('bulletList', 'loose words')],
    ['bare text in a quote', () => node('blockquote', 'loose words')],
    ['a hard break at the top level', () => node('hardBreak')],
    ['a list item at the top level', () => node('listItem', node('paragraph', 'item'))],
    ['a heading inside a code block', () => node('codeBlock', node('heading', 'x'))],
  ];
  for (const [what, build] of refused) {
    it(`refuses ${what}`, () => {
      const { client, judge } = scene();
      expect(judge(updateOf(client, () => client.getXmlFragment(NOTE_FIELD).push([build()]))).problem).toMatch(/cannot be inside/);
    });
  }

  it('lets through what the editor writes: lists, quotes, code, headings, breaks and mentions', () => {
    const { client, judge } = scene();
    const mention = node('mention');
    mention.setAttribute('id', 'M1');
    const facts = judge(updateOf(client, () => client.getXmlFragment(NOTE_FIELD).push([
      node('bulletList', node('listItem', node('paragraph', 'first'), node('bulletList', node('listItem', node('paragraph', 'nested'))))),
      node('orderedList', node('listItem', node('paragraph', 'one'), node('blockquote', node('paragraph', 'quoted')))),
      node('blockquote', node('paragraph', 'said'), node('codeBlock', 'x = 1')),
      node('paragraph', 'before', node('hardBreak'), 'after ', mention, ' spoke'),
      node('horizontalRule'),
    ])));
    expect(facts.problem).toBeNull();
  });
});

describe('the note schema the server checks', () => {
  it('covers exactly the nodes, attributes and marks of the editor’s extensions', () => {
    const schema = getSchema([StarterKit.configure({ undoRedo: false, trailingNode: false }), ObservationMark, memberMention(() => [])]);
    const nodes = Object.keys(schema.nodes).filter((n) => n !== 'doc' && n !== 'text');
    expect(Object.keys(NOTE_NODES).sort()).toEqual(nodes.sort());
    for (const n of nodes) expect(Object.keys(NOTE_NODES[n]!).sort(), n).toEqual(Object.keys(schema.nodes[n]!.spec.attrs ?? {}).sort());
    expect(Object.keys(NOTE_MARKS).sort()).toEqual(Object.keys(schema.marks).sort());
  });

  // Attack, 6 Dec: attributes set on the other's lines were neither refused nor recorded. Each is
  // one or the other: a block's is labelled (read as the editor reads it unset), whom a mention
  // names is its writer's alone (mentionGuard).
  it('labels a change of every attribute but a mention’s, reading an unset one as the editor’s default', () => {
    const schema = getSchema([StarterKit.configure({ undoRedo: false, trailingNode: false }), ObservationMark, memberMention(() => [])]);
    for (const [node, attrs] of Object.entries(NOTE_NODES)) {
      for (const attribute of Object.keys(attrs)) {
        if (node === MENTION_NODE) continue;
        expect(LABELLED_ATTRIBUTES[node] && Object.hasOwn(LABELLED_ATTRIBUTES[node], attribute), `${node}.${attribute}`).toBe(true);
        expect(LABELLED_ATTRIBUTES[node]![attribute], `${node}.${attribute}`).toEqual(schema.nodes[node]!.spec.attrs![attribute]!.default);
        expect(BLOCK_KINDS.has(node), node).toBe(true);
      }
    }
  });

  it('lets each node hold exactly the nodes the editor’s content expressions allow', () => {
    const schema = getSchema([StarterKit.configure({ undoRedo: false, trailingNode: false }), ObservationMark, memberMention(() => [])]);
    /** Every node type that may appear anywhere in `type`'s content. */
    const reachable = (type: NodeType) => {
      const seen = new Set<ContentMatch>();
      const names = new Set<string>();
      const visit = (match: ContentMatch) => {
        if (seen.has(match)) return;
        seen.add(match);
        for (let i = 0; i < match.edgeCount; i++) {
          const edge = match.edge(i);
          names.add(edge.type.name === 'text' ? '#text' : edge.type.name);
          visit(edge.next);
        }
      };
      visit(type.contentMatch);
      return [...names].sort();
    };
    const nodes = Object.keys(schema.nodes).filter((n) => n !== 'text');
    expect(Object.keys(NOTE_CHILDREN).sort()).toEqual(nodes.sort());
    for (const n of nodes) expect([...NOTE_CHILDREN[n]!].sort(), n).toEqual(reachable(schema.nodes[n]!));
  });
});

// attack9 (1 Dec): 3,000 nested quotes overflowed the stack of every reader of the note (review,
// exports, replay), and deep nesting made the review slow. The gate counts how deep each new
// element would stand, through the note and the update itself, without recursion.
describe('how deep the update gate lets elements nest', () => {
  /** `depth` quotes, one inside the other, around a paragraph of `words`. */
  const quotes = (depth: number, words: string) => {
    let inner = node('paragraph', words);
    for (let i = 0; i < depth; i++) inner = node('blockquote', inner);
    return inner;
  };

  it(`lets a paragraph stand ${MAX_NESTING - 1} blocks deep, and refuses one more level in one update or added later`, () => {
    const push = (depth: number) => {
      const { client, judge } = scene();
      return judge(updateOf(client, () => client.getXmlFragment(NOTE_FIELD).push([quotes(depth, 'words')]))).problem;
    };
    expect(push(MAX_NESTING - 1)).toBeNull();
    expect(push(MAX_NESTING)).toMatch(/no deeper than/);

    // Built one level at a time, each new quote inside the deepest one the server holds.
    const { server, client, judge } = scene();
    Y.applyUpdate(server, updateOf(client, () => client.getXmlFragment(NOTE_FIELD).push([quotes(MAX_NESTING - 2, 'level')])));
    const wrapOnce = () =>
      updateOf(client, () => {
        let quote = client.getXmlFragment(NOTE_FIELD).get(client.getXmlFragment(NOTE_FIELD).length - 1) as Y.XmlElement;
        while (quote.get(quote.length - 1) instanceof Y.XmlElement && (quote.get(quote.length - 1) as Y.XmlElement).nodeName === 'blockquote') quote = quote.get(quote.length - 1) as Y.XmlElement;
        quote.insert(quote.length, [quotes(1, 'one more')]);
      });
    const first = wrapOnce();
    expect(judge(first)).toMatchObject({ complete: true, problem: null });
    Y.applyUpdate(server, first);
    expect(judge(wrapOnce()).problem).toMatch(/no deeper than/);
  });

  it('judges 3,000 nested quotes, and 5,000 lines side by side in a quote, without running out of stack', () => {
    // Built from the outside in: Yjs itself recurses when it integrates nested new elements.
    const deep = scene();
    const abyss = updateOf(deep.client, () => {
      let parent: Y.XmlFragment | Y.XmlElement = deep.client.getXmlFragment(NOTE_FIELD);
      for (let i = 0; i < 3_000; i++) {
        const quote = new Y.XmlElement('blockquote');
        parent.insert(parent.length, [quote]);
        parent = quote;
      }
      parent.insert(0, [node('paragraph', 'abyss')]);
    });
    expect(deep.judge(abyss).problem).toMatch(/no deeper than/);
    const wideScene = scene();
    const wide = node('blockquote', ...Array.from({ length: 5_000 }, (_, i) => node('paragraph', `line ${i}`)));
    expect(wideScene.judge(updateOf(wideScene.client, () => wideScene.client.getXmlFragment(NOTE_FIELD).push([wide]))).problem).toBeNull();
  });
});

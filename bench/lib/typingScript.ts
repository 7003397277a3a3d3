import * as Y from 'yjs';
import { appendParagraph } from './docShape';
import { createRandom } from './util';
import { caretAtEnd, typeKey, type TypingModel } from './typist';

/**
 * The typing of a benchmark step, encoded before it starts, so a simulated writer holds no Y.Doc:
 * a key is one pre-encoded update sent as it is. Each writer types at the end of its own
 * paragraph, so its updates reference only its own items and the paragraph it made: they are the
 * same bytes in every session, whatever the other writer does. Every session therefore shares one
 * script per writer role (same Yjs client ids; sessions are separate documents).
 */
export interface ScriptedKey {
  /** The Yjs update (v1) of this keystroke. */
  update: Uint8Array;
  /** Insert: the writer's clock after it (delivered when a receiver's update reaches it). */
  insertTarget: number | null;
  /** Backspace: the deleted character (delivered when a receiver's delete set holds it). */
  deleteId: Y.ID | null;
  /** Presence state after the key (JSON): the caret at the end of the writer's paragraph. */
  presence: string;
}

/** One writer role's keystrokes, generated on demand from its own template document. */
export class WriterScript {
  private readonly keys: ScriptedKey[] = [];

  constructor(
    private readonly doc: Y.Doc,
    private readonly text: Y.XmlText,
    private readonly random: () => number,
    private readonly deleteShare: number,
    readonly name: string,
  ) {}

  get clientId(): number {
    return this.doc.clientID;
  }

  /** Key `i` of the script (keys are made as far as asked for; the script never ends). */
  key(i: number): ScriptedKey {
    while (this.keys.length <= i) this.keys.push(this.next());
    return this.keys[i] as ScriptedKey;
  }

  /** The updates of the first `n` keys. */
  updates(n: number): Uint8Array[] {
    return Array.from({ length: n }, (_, i) => this.key(i).update);
  }

  /** Presence JSON before any key. */
  initialPresence(): string {
    return JSON.stringify({ user: { name: this.name }, cursor: caretAtEnd(this.text) });
  }

  private next(): ScriptedKey {
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array): void => {
      update = u;
    };
    this.doc.on('update', capture);
    const effect = typeKey(this.text, this.random, this.deleteShare);
    this.doc.off('update', capture);
    if (!update) throw new Error('a scripted key made no update');
    return {
      update,
      insertTarget: effect.kind === 'insert' ? Y.getState(this.doc.store, this.clientId) : null,
      deleteId: effect.kind === 'delete' ? effect.id : null,
      presence: JSON.stringify({ user: { name: this.name }, cursor: caretAtEnd(this.text) }),
    };
  }
}

/**
 * The setup and keystrokes of every session of a step: writer A brings the seed text and its
 * paragraph (`setupA`), writer B then adds its paragraph after A's (`setupB`, which needs
 * `setupA` at the server first); the reader brings nothing.
 */
export class TypingScript {
  readonly setupA: Uint8Array;
  readonly setupB: Uint8Array;
  /** State vector after setupA, and after both setups. */
  readonly afterA: Map<number, number>;
  readonly afterSetup: Map<number, number>;
  readonly writers: [WriterScript, WriterScript];

  /** `seedText`: the update every session starts from; `seed`: of the random keys and client ids. */
  constructor(seedText: Uint8Array, model: TypingModel, seed: number) {
    // One random stream per writer: keys are made on demand, in whatever order writers ask.
    const random = createRandom(seed);
    const clientId = (): number => 1 + Math.floor(random() * 0x7ffffffe);
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    docA.clientID = clientId();
    do docB.clientID = clientId();
    while (docB.clientID === docA.clientID);
    Y.applyUpdate(docA, seedText);
    const textA = appendParagraph(docA);
    this.setupA = Y.encodeStateAsUpdate(docA);
    this.afterA = Y.decodeStateVector(Y.encodeStateVector(docA));
    Y.applyUpdate(docB, this.setupA);
    const textB = appendParagraph(docB);
    this.setupB = Y.encodeStateAsUpdate(docB, Y.encodeStateVector(docA));
    this.afterSetup = Y.decodeStateVector(Y.encodeStateVector(docB));
    this.writers = [
      new WriterScript(docA, textA, createRandom(seed + 1), model.deleteShare, 'writer 0'),
      new WriterScript(docB, textB, createRandom(seed + 2), model.deleteShare, 'writer 1'),
    ];
  }

  /**
   * The document a session holds once writer A typed `keysA` keys and writer B `keysB`, given
   * what the server held before the setup (`initial`: tandem writes a template into a new note).
   */
  expectedDoc(initial: Uint8Array, keysA: number, keysB: number): Y.Doc {
    const doc = new Y.Doc();
    const [a, b] = this.writers;
    Y.applyUpdate(doc, Y.mergeUpdates([initial, this.setupA, this.setupB, ...a.updates(keysA), ...b.updates(keysB)]));
    return doc;
  }
}

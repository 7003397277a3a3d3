import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { followProvider, keepOfflineWords } from '../../client/collab/offlineWords';
import { followServerState } from '../../client/collab/serverMessages';
import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { MessageType } from '../../shared/protocol/messageType';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { connectClient, liveSession, serverText, type TestClient } from '../helpers/connectClient';
import { deleteLine, editAsEditor, positionOf, quoteLine, schema, typeAfter } from '../helpers/editorEdit';
import { roundTrip } from '../helpers/craft';
import { openRaw } from '../helpers/rawSocket';

const runsOf = (blocks: ReviewBlock[]): ReviewRun[] => blocks.flatMap((b) => [...b.runs, ...runsOf(b.children)]);
const paragraph = schema.nodes.paragraph!;

/** Keeps `client`'s offline words as the page's connection does (CollabConnection, serverMessages.ts); `own`: earlier pages' client ids. */
function keepingOfflineWords(client: TestClient, own: number[] = []): string[] {
  const kept: string[] = [];
  const words = keepOfflineWords(client.doc, NOTE_FIELD, (tr) => tr.origin === client.provider, (lines) => kept.push(...lines));
  words.own(own);
  followProvider(client.provider, words);
  followServerState(client.provider, (stateVector) => words.serverHas(stateVector));
  // What the server said it stored, as the page's connection passes it on (CollabConnection.handleSaved).
  const onSaved = client.provider.messageHandlers[MessageType.Saved]!;
  client.provider.messageHandlers[MessageType.Saved] = (...args) => {
    onSaved(...args);
    words.confirmed(client.stored().stateVector);
  };
  return kept;
}

// A clinician offline on a train keeps writing in a line; meanwhile her co-therapist makes that
// line a quote, or deletes it. Yjs deletes whatever stands in a deleted line, also what arrives
// there later: her words vanished at reconnect, seen by nobody (a known limit until 2 Dec).
describe('words typed offline into a line the co-therapist removed meanwhile', async () => {
  const { server, clinic } = await startClinic();
  const saved = (...clients: TestClient[]) => expect.poll(() => clients.every((c) => c.isSaved())).toBe(true);

  /** A live session whose note ends with A's `line`, which B has; A's client keeps offline words. */
  async function withLine(line: string) {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    const kept = keepingOfflineWords(a);
    editAsEditor(a.doc, (s) => s.tr.insert(s.doc.content.size, paragraph.create(null, schema.text(line))));
    await expect.poll(() => b.text().includes(line)).toBe(true);
    await saved(a, b);
    return { id, a, b, kept };
  }

  /** A goes offline, `offline` runs on A's copy and `meanwhile` on B's; A comes back once B's change is stored. */
  async function whileOffline(a: TestClient, b: TestClient, offline: () => void, meanwhile: () => void) {
    a.provider.disconnect();
    offline();
    meanwhile();
    await saved(b);
    a.provider.connect();
    await saved(a);
    await expect.poll(() => b.text()).toBe(a.text());
  }

  it('writes them again after her quote, as the writer’s words, and says so', async () => {
    const { id, a, b, kept } = await withLine('Client says she feels safe at home now.');
    await whileOffline(
      a,
      b,
      () => typeAfter(a.doc, 'home now.', ' She has slept badly all week.'),
      () => quoteLine(b.doc, 'Client says'),
    );
    expect(a.text().split('\n')).toContain('She has slept badly all week.');
    expect(kept).toEqual(['She has slept badly all week.']);
    // The line of kept words stands right after her quote.
    const lines = a.text().split('\n');
    expect(lines.indexOf('She has slept badly all week.')).toBe(lines.indexOf('Client says she feels safe at home now.') + 1);
    const runs = runsOf((await expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review')).blocks);
    const keptRuns = runs.filter((r) => r.text.includes('slept badly') && !r.struck);
    expect(keptRuns.map((r) => r.authorId)).toEqual([clinic.a.id]);
  });

  it('writes them again after her quote, not after lines she rewrote since, in the order they stood', async () => {
    const { a, b, kept } = await withLine('Sleep poor this week.');
    editAsEditor(a.doc, (s) => s.tr.insert(s.doc.content.size, paragraph.create(null, schema.text('Mood flat.'))));
    await expect.poll(() => b.text().includes('Mood flat.')).toBe(true);
    await saved(a, b);
    await whileOffline(
      a,
      b,
      () => {
        typeAfter(a.doc, 'this week.', ' Wakes at four.');
        typeAfter(a.doc, 'Mood flat.', ' Tearful once.');
      },
      () => {
        quoteLine(b.doc, 'Sleep poor');
        editAsEditor(b.doc, (s) => s.tr.setBlockType(positionOf(s.doc, 'Mood flat.'), positionOf(s.doc, 'Mood flat.'), schema.nodes.heading!, { level: 2 }));
      },
    );
    expect(kept).toEqual(['Wakes at four.', 'Tearful once.']);
    const lines = a.text().split('\n');
    const at = lines.indexOf('Sleep poor this week.');
    expect(lines.slice(at, at + 3)).toEqual(['Sleep poor this week.', 'Wakes at four.', 'Mood flat.']);
    expect(lines[lines.indexOf('Mood flat.') + 1]).toBe('Tearful once.');
  });

  it('writes again words an earlier page of the device typed offline, under its own client id', async () => {
    const { id, a, b } = await withLine('Client says she feels safe at home now.');
    a.provider.disconnect();
    typeAfter(a.doc, 'home now.', ' Typed before the tab was closed.');
    quoteLine(b.doc, 'Client says');
    await saved(b);
    // The tab closes; a new page loads the device's copy, with a new client id of its own.
    const copy = Y.encodeStateAsUpdate(a.doc);
    const closedId = a.doc.clientID;
    a.destroy();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, copy);
    const again = connectClient(server.baseUrl, id, clinic.a.api.cookie, { doc, connect: false });
    expect(doc.clientID).not.toBe(closedId);
    const kept = keepingOfflineWords(again, [closedId]);
    again.provider.connect();
    await saved(again);
    await expect.poll(() => b.text()).toBe(again.text());
    expect(kept).toEqual(['Typed before the tab was closed.']);
    expect(again.text().split('\n')).toContain('Typed before the tab was closed.');
  });

  it('writes them again as an item of the list when she deletes an item of it, where the item stood', async () => {
    const { a, b, kept } = await withLine('Plan:');
    const item = (text: string) => schema.nodes.listItem!.create(null, [paragraph.create(null, schema.text(text))]);
    editAsEditor(a.doc, (s) => s.tr.insert(s.doc.content.size, schema.nodes.bulletList!.create(null, [item('Sleep diary.'), item('Walk daily.'), item('Review in a week.')])));
    await expect.poll(() => b.text().includes('Review in a week.')).toBe(true);
    await saved(a, b);
    await whileOffline(
      a,
      b,
      () => typeAfter(a.doc, 'Walk daily.', ' With her sister.'),
      () =>
        editAsEditor(b.doc, (s) => {
          const $at = s.doc.resolve(positionOf(s.doc, 'Walk daily.'));
          return s.tr.delete($at.before($at.depth - 1), $at.after($at.depth - 1));
        }),
    );
    expect(kept).toEqual(['With her sister.']);
    const list = a.doc.getXmlFragment(NOTE_FIELD).toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'bulletList') as Y.XmlElement;
    expect(list.toArray().map((li) => (li as Y.XmlElement).toString().replace(/<[^>]+>/g, ''))).toEqual(['Sleep diary.', 'With her sister.', 'Review in a week.']);
  });

  it('writes them again where the line was when she deletes the line, stretches apart joined by an ellipsis', async () => {
    const { a, b, kept } = await withLine('Plan: review the safety plan next week.');
    await whileOffline(
      a,
      b,
      () => {
        typeAfter(a.doc, 'review the', ' written');
        typeAfter(a.doc, 'next week.', ' Call her GP first.');
      },
      () => deleteLine(b.doc, 'Plan: review'),
    );
    expect(a.text()).not.toContain('Plan: review');
    expect(kept).toEqual(['written … Call her GP first.']);
    expect(a.text().split('\n')).toContain('written … Call her GP first.');
  });

  it('leaves alone words she deleted after seeing them, and offline words in lines nobody removed', async () => {
    const { a, b, kept } = await withLine('Mood low, affect flat.');
    typeAfter(a.doc, 'affect flat.', ' Tearful once.');
    await expect.poll(() => b.text().includes('Tearful once.')).toBe(true);
    await saved(a);
    await whileOffline(
      a,
      b,
      () => typeAfter(a.doc, 'Mood low,', ' sleep poor,'),
      () => deleteLine(b.doc, 'Tearful once.'),
    );
    // Her deletion named the words she had; only the offline ones come back.
    expect(kept).toEqual(['sleep poor,']);
    expect(a.text()).not.toContain('Tearful once.');

    // A line nobody removed keeps its offline words where they were typed, with nothing kept.
    kept.length = 0;
    editAsEditor(a.doc, (s) => s.tr.insert(s.doc.content.size, paragraph.create(null, schema.text('Risk: none reported.'))));
    await saved(a);
    await whileOffline(
      a,
      b,
      () => typeAfter(a.doc, 'none reported.', ' Asked directly.'),
      () => editAsEditor(b.doc, (s) => s.tr.insert(s.doc.content.size, paragraph.create(null, schema.text('B was here.')))),
    );
    expect(a.text()).toContain('Risk: none reported. Asked directly.');
    expect(kept).toEqual([]);
    // Once stored, they are words she can see: her deletion of them stands.
    deleteLine(b.doc, 'Asked directly.');
    await expect.poll(() => a.text().includes('Asked directly.')).toBe(false);
    await saved(a, b);
    expect(kept).toEqual([]);
  });

  // Attack, 2 Dec: the server relays before it stores, so words not yet stored may have been seen.
  it('leaves alone offline words she deletes the moment they reach her, before the server stored them', async () => {
    const { a, b, kept } = await withLine('Risk review:');
    a.provider.disconnect();
    typeAfter(a.doc, 'Risk review:', ' She is not at risk today.');
    let storedWhenSeen: number | null = null;
    const deleted = new Promise<void>((resolve) => {
      const onUpdate = () => {
        if (!b.text().includes('not at risk')) return;
        b.doc.off('update', onUpdate);
        storedWhenSeen = b.stored().stateVector.get(a.doc.clientID) ?? 0;
        queueMicrotask(() => {
          deleteLine(b.doc, 'Risk review:');
          resolve();
        });
      };
      b.doc.on('update', onUpdate);
    });
    a.provider.connect();
    await deleted;
    await saved(a, b);
    await expect.poll(() => b.text()).toBe(a.text());
    expect(a.text()).not.toContain('at risk');
    expect(kept).toEqual([]);
    // (She had them before they were stored, or this case would not test that.)
    expect(storedWhenSeen).toBeLessThan(Y.getState(a.doc.store, a.doc.clientID));
  });

  // Walk, busy machine: a sentence she typed as the session was started stood twice in the signed
  // note. Starting it closes every connection to the note. Her words had reached the server and
  // him, not yet said to be stored; he made her line a heading, and his change, still on its way
  // when his connection closed, reached her page only as it connected again. His heading held the
  // words he had seen, and her page wrote them again with the few he had not.
  it('writes again only what his change of her line lacks, when the session starts as they both write in it', async () => {
    const id = await createSession(clinic, 'individual');
    let swallowing = false;
    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie, {
      wrapSocket: (base) =>
        class extends base {
          override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
            if (!swallowing) super.send(data);
          }
        },
    });
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    const kept = keepingOfflineWords(a);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    editAsEditor(a.doc, (s) => s.tr.insert(s.doc.content.size, paragraph.create(null, schema.text('Client discussed her mother illness'))));
    await expect.poll(() => b.text()).toContain('mother illness');
    await saved(a, b);
    // Her page hears that her next words are stored only after the connection closes (a busy server).
    let confirming = false;
    const onSaved = a.provider.messageHandlers[MessageType.Saved]!;
    a.provider.messageHandlers[MessageType.Saved] = (...args) => confirming && onSaved(...args);
    typeAfter(a.doc, 'mother illness', ' and cried briefly');
    await expect.poll(() => b.text()).toContain('and cried briefly');
    swallowing = true;
    editAsEditor(b.doc, (s) => s.tr.setBlockType(positionOf(s.doc, 'Client discussed'), positionOf(s.doc, 'Client discussed'), schema.nodes.heading!, { level: 2 }));
    typeAfter(a.doc, 'cried briefly', ' when her father came up');
    await expect.poll(() => serverText(server.baseUrl, id, clinic.supervisor.api.cookie)).toContain('briefly when her father came up');
    // Her page connects again only once his change is stored (his page connects first).
    a.provider.once('status', () => a.provider.disconnect());
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expect.poll(() => a.closes.map((c) => c.code)).toContain(CloseCode.AccessChanged);
    swallowing = false;
    await saved(b);
    confirming = true;
    a.provider.connect();
    await saved(a, b);
    await expect.poll(() => b.text()).toBe(a.text());
    expect(a.text().match(/cried briefly/g)).toHaveLength(1);
    expect(kept).toEqual(['when her father came up']);
  });

  // Walk, 2 Dec: words typed as the network went were sent into the dying socket and reached the
  // server late, after the co-therapist had quoted their line: inside a removed line on arrival,
  // and the server holding them when the page reconnected, they were nobody's offline words, lost.
  describe('sent as the connection dropped, reaching the server late', () => {
    /**
     * A live session whose note ends with A's `line`; `drop(typed)` loses A's connection as a
     * network does, the page unaware while `typed` runs (its frames swallowed), and `late()`
     * delivers them as the dying socket would, from a socket of A's.
     */
    /**
     * B quotes A's line while A is away, then A's late frames reach the server and A connects
     * again; resolves once both hold the same note.
     */
    async function quoteWhileAway({ a, b, late }: Pick<Awaited<ReturnType<typeof droppingLine>>, 'a' | 'b' | 'late'>, line: string): Promise<void> {
      quoteLine(b.doc, line);
      await saved(b);
      await late();
      a.provider.connect();
      await saved(a);
      await expect.poll(() => b.text()).toBe(a.text());
    }

    async function droppingLine(line: string) {
      const { id, a: first, b } = await liveSession(server.baseUrl, clinic);
      first.destroy();
      let swallowing = false;
      const swallowed: Uint8Array[] = [];
      /** Frames the server has not read yet (see `unread`), sent in order by `readAll`. */
      let waiting: (() => void)[] | null = null;
      const a = connectClient(server.baseUrl, id, clinic.a.api.cookie, {
        wrapSocket: (base) =>
          class extends base {
            override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
              if (swallowing && ArrayBuffer.isView(data)) swallowed.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());
              else if (waiting && ArrayBuffer.isView(data)) waiting.push(() => super.send(data));
              else super.send(data);
            }
          },
      });
      const kept = keepingOfflineWords(a);
      // Each sync step 1 of the server's that A has read (it says what the server holds as the connection opens).
      const serverSteps: Map<number, number>[] = [];
      followServerState(a.provider, (stateVector) => serverSteps.push(stateVector));
      await expect.poll(() => a.provider.synced).toBe(true);
      editAsEditor(a.doc, (s) => s.tr.insert(s.doc.content.size, paragraph.create(null, schema.text(line))));
      await expect.poll(() => b.text().includes(line)).toBe(true);
      await saved(a, b);
      // The page notices the drop only after the words went into the socket.
      const drop = (typed: () => void) => {
        swallowing = true;
        typed();
        a.provider.disconnect();
        swallowing = false;
      };
      /** `frames`: how many of the swallowed frames arrive now (all by default), oldest first. */
      const late = async (frames = swallowed.length) => {
        const raw = await openRaw(server.baseUrl, id, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
        for (const frame of swallowed.splice(0, frames)) raw.ws.send(frame);
        await roundTrip(raw);
        raw.ws.close();
      };
      /**
       * A busy server reads none of what A's next connection sends (its sync step 1 first) until
       * `readAll()`, while its other sockets' frames go on: it has said what it holds, not answered.
       */
      const unread = () => {
        waiting = [];
        return {
          opened: () => expect.poll(() => serverSteps.length).toBeGreaterThan(1),
          readAll: () => {
            const frames = waiting ?? [];
            waiting = null;
            for (const send of frames) send();
          },
        };
      };
      return { id, a, b, kept, drop, late, unread };
    }

    it('are written again when her change of the line did not hold them', async () => {
      const { id, a, b, kept, drop, late } = await droppingLine('Client discussed her mother illness');
      drop(() => typeAfter(a.doc, 'mother illness', ' and cried briefly'));
      await quoteWhileAway({ a, b, late }, 'Client discussed');
      expect(kept).toEqual(['and cried briefly']);
      const lines = a.text().split('\n');
      expect(lines[lines.indexOf('Client discussed her mother illness') + 1]).toBe('and cried briefly');
      const runs = runsOf((await expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review')).blocks);
      expect(runs.filter((r) => r.text.includes('cried briefly') && !r.struck).map((r) => r.authorId)).toEqual([clinic.a.id]);
    });

    it('are not written twice when her change of the line copied them', async () => {
      const { a, b, kept, drop, late } = await droppingLine('Client discussed her mother illness');
      drop(() => typeAfter(a.doc, 'mother illness', ' and cried briefly'));
      await late();
      await expect.poll(() => b.text()).toContain('illness and cried briefly');
      quoteLine(b.doc, 'Client discussed');
      await saved(b);
      a.provider.connect();
      await saved(a);
      await expect.poll(() => b.text()).toBe(a.text());
      expect(kept).toEqual([]);
      expect(a.text().match(/cried briefly/g)).toHaveLength(1);
    });

    // The dying socket's frames may be read after the page's next connection opened: the server
    // said it lacked them, took them, and she saw them and quoted their line before it answered
    // the page's own sync step 1. They were taken for words nobody had seen and written again.
    it('are not written twice when they reach the server after the next connection opened and her change of the line copied them', async () => {
      const { a, b, kept, drop, late, unread } = await droppingLine('Client discussed her mother illness');
      drop(() => typeAfter(a.doc, 'mother illness', ' and cried briefly'));
      const busy = unread();
      a.provider.connect();
      await busy.opened();
      await late();
      await expect.poll(() => b.text()).toContain('illness and cried briefly');
      quoteLine(b.doc, 'Client discussed');
      await saved(b);
      await expect.poll(() => a.doc.getXmlFragment(NOTE_FIELD).toString()).toContain('<blockquote>');
      busy.readAll();
      await saved(a);
      await expect.poll(() => b.text()).toBe(a.text());
      expect(kept).toEqual([]);
      expect(a.text().match(/cried briefly/g)).toHaveLength(1);
    });

    // Walk, busy machine: a sentence typed as the session was started appeared twice. Her change
    // of the line copied the words she had received; the rest reached the server after it. Both
    // made one run of letters on this device, and the whole run was written again: the words of
    // her copy twice.
    it('are written again only where her change of the line lacks them, when it copied the first of them', async () => {
      const { a, b, kept, drop, late } = await droppingLine('Client discussed her mother illness');
      drop(() => {
        typeAfter(a.doc, 'mother illness', ' and cried briefly');
        typeAfter(a.doc, 'cried briefly', ' when her father came up');
      });
      await late(1);
      await expect.poll(() => b.text()).toContain('illness and cried briefly');
      await quoteWhileAway({ a, b, late }, 'Client discussed');
      expect(a.text().match(/cried briefly/g)).toHaveLength(1);
      expect(kept).toEqual(['when her father came up']);
      const lines = a.text().split('\n');
      expect(lines[lines.indexOf('Client discussed her mother illness and cried briefly') + 1]).toBe('when her father came up');
    });
  });
});

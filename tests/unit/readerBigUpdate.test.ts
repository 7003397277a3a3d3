import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { judgeBigUpdate, type JudgeBigUpdate } from '../../server/collab/bigUpdate';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { gated } from '../helpers/gatedNote';

/** An update of `n` structs, each a text of its own: big by its structs, not its bytes. */
function manyStructs(n: number): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(NOTE_FIELD);
  for (let i = 0; i < n; i++) fragment.insert(0, [new Y.XmlText('x')]);
  return Y.encodeStateAsUpdate(doc);
}

// Attack, 4 Dec: judging a big update takes the whole note (then encoded for it), and a read-only
// supervisor's 20 KB frames of 10,000 structs were judged before readOnlyGuard refused them.
describe('a reader’s big update', () => {
  it('is refused before it is judged; a writer’s is judged', async () => {
    let judged = 0;
    const counting: JudgeBigUpdate = async (input) => {
      judged++;
      return judgeBigUpdate(input);
    };
    const reader = gated([], [], counting);
    (reader.conn as { canWrite: boolean }).canWrite = false;
    reader.gate.receive(reader.conn, manyStructs(12_000));
    expect(judged).toBe(0);
    expect(new TextDecoder().decode(reader.sent.at(-1))).toContain('"code":"read_only"');

    const writer = gated([], [], counting);
    writer.gate.receive(writer.conn, manyStructs(12_000));
    await expect.poll(() => judged).toBe(1);
  });
});

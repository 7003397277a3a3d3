import { describe, expect, it } from 'vitest';
import { boundedJudge, JudgeBusyError, type BigUpdateJudgement, type JudgeBigUpdate } from '../../server/collab/bigUpdate';

/** A judge whose judgements end when the test says so. */
function heldJudge(): { judge: JudgeBigUpdate; finishAll(): void } {
  const waiting: (() => void)[] = [];
  const verdict: BigUpdateJudgement = { malformed: true };
  return {
    judge: () => new Promise((resolve) => waiting.push(() => resolve(verdict))),
    finishAll: () => {
      for (const finish of waiting.splice(0)) finish();
    },
  };
}

const input = (bytes: number) => ({ state: [new Uint8Array(0)], update: new Uint8Array(bytes) });

describe('the one judge of big updates, shared by every note', () => {
  it('refuses what would pass its bound while others are judged, and takes it again once they are done', async () => {
    const inner = heldJudge();
    const judge = boundedJudge(inner.judge, 10_000);
    const first = judge(input(6_000));
    await expect(judge(input(6_000))).rejects.toBeInstanceOf(JudgeBusyError);
    const small = judge(input(4_000));
    inner.finishAll();
    await Promise.all([first, small]);
    const again = judge(input(6_000));
    inner.finishAll();
    await expect(again).resolves.toEqual({ malformed: true });
  });

  it('always takes one update alone, however big (the message limit bounds it)', async () => {
    const inner = heldJudge();
    const judge = boundedJudge(inner.judge, 10_000);
    const big = judge(input(50_000));
    inner.finishAll();
    await expect(big).resolves.toEqual({ malformed: true });
  });

  it('frees what a failed judgement held', async () => {
    const inner = heldJudge();
    let fail = true;
    const judge = boundedJudge(async (x) => {
      if (fail) throw new Error('thread gone');
      return inner.judge(x);
    }, 10_000);
    await expect(judge(input(9_000))).rejects.toThrow('thread gone');
    fail = false;
    const held = judge(input(9_000));
    // Had the failed one kept its 9,000 bytes, this would pass the bound.
    const alongside = judge(input(1_000));
    inner.finishAll();
    await expect(Promise.all([held, alongside])).resolves.toHaveLength(2);
  });
});

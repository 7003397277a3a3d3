import { describe, expect, it } from 'vitest';
import { decidedAfterRevocations, sharedWhileOut } from '../../server/collab/upgradeReads';

/** A read whose answers the test gives, one per call, and how many calls it had. */
function controlledRead() {
  const calls: { key: string; answer: (v: string) => void; fail: (e: Error) => void }[] = [];
  const read = (key: string) => new Promise<string>((answer, fail) => calls.push({ key, answer, fail }));
  return { calls, read };
}

describe('reads shared while out', () => {
  it('gives callers asking at once one read’s answer, and reads again once it is back', async () => {
    const { calls, read } = controlledRead();
    const shared = sharedWhileOut(read);
    const first = shared('s1');
    const second = shared('s1');
    const other = shared('s2');
    expect(calls.map((c) => c.key)).toEqual(['s1', 's2']);
    calls[0]!.answer('members of s1, then');
    calls[1]!.answer('members of s2');
    expect(await Promise.all([first, second, other])).toEqual(['members of s1, then', 'members of s1, then', 'members of s2']);

    // Nothing is kept: a member removed since is seen by the next upgrade.
    const later = shared('s1');
    expect(calls).toHaveLength(3);
    calls[2]!.answer('members of s1, now');
    expect(await later).toBe('members of s1, now');
  });

  it('shares a failure with those who asked at once, and tries again for the next', async () => {
    const { calls, read } = controlledRead();
    const shared = sharedWhileOut(read);
    const asked = [shared('s1'), shared('s1')];
    calls[0]!.fail(new Error('storage unavailable'));
    for (const answer of asked) await expect(answer).rejects.toThrow('storage unavailable');
    const again = shared('s1');
    expect(calls).toHaveLength(2);
    calls[1]!.answer('members of s1');
    expect(await again).toBe('members of s1');
  });
});

describe('an upgrade decided across revocations', () => {
  it('is decided again while revocations keep coming, each dropped decision freeing its place, then given up', async () => {
    let epoch = 0;
    let released = 0;
    const decide = async (): Promise<{ allowed: boolean; release?: () => void }> => {
      epoch++;
      return { allowed: true, release: () => void released++ };
    };
    expect(await decidedAfterRevocations(() => epoch, decide, { allowed: false })).toEqual({ allowed: false });
    expect(released).toBe(3);
  });

  it('keeps the first decision made with no revocation meanwhile', async () => {
    let epoch = 0;
    let calls = 0;
    // A revocation during the first decision only: the second is kept.
    const decide = async () => {
      calls++;
      if (calls === 1) epoch++;
      return { call: calls };
    };
    expect(await decidedAfterRevocations(() => epoch, decide, { call: 0 })).toEqual({ call: 2 });
  });
});

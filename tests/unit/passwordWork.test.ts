import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/domain/errors';
import { PasswordWork } from '../../server/auth/passwordWork';

/** A derivation that ends when the test says, with the order derivations started in. */
function derivations() {
  const started: string[] = [];
  const ends = new Map<string, { resolve(): void; reject(err: Error): void }>();
  const derive = (name: string) => () =>
    new Promise<string>((resolve, reject) => {
      started.push(name);
      ends.set(name, { resolve: () => resolve(name), reject });
    });
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  return { started, ends, derive, settled };
}

describe('PasswordWork', () => {
  it('runs derivations in the order they came, within the running places, and passes each place on as one ends, failed or not', async () => {
    const work = new PasswordWork({ running: 2, perAddress: 2, waiting: 8 });
    const { started, ends, derive, settled } = derivations();
    const runs = ['a1', 'b1', 'c1', 'd1'].map((name) => work.run(name.slice(0, 1), derive(name)));
    await settled();
    expect(started).toEqual(['a1', 'b1']);
    expect(work.waiting).toBe(2);
    ends.get('b1')!.reject(new Error('derivation failed'));
    await expect(runs[1]).rejects.toThrow('derivation failed');
    await settled();
    expect(started).toEqual(['a1', 'b1', 'c1']);
    ends.get('a1')!.resolve();
    await expect(runs[0]).resolves.toBe('a1');
    await settled();
    expect(started).toEqual(['a1', 'b1', 'c1', 'd1']);
    expect(work.waiting).toBe(0);
  });

  it('refuses an address its third derivation at once, and any past the waiting places, and gives an address its places back', async () => {
    const refusals: string[] = [];
    const work = new PasswordWork({ running: 1, perAddress: 2, waiting: 1 }, (why) => refusals.push(why));
    const { ends, derive, settled } = derivations();
    const first = work.run('a', derive('a1'));
    const second = work.run('a', derive('a2'));
    const third = work.run('a', derive('a3'));
    await expect(third).rejects.toMatchObject({ kind: 'rate_limited', code: 'too_many_attempts', retryAfterS: 1 });
    await expect(work.run('b', derive('b1'))).rejects.toBeInstanceOf(DomainError);
    expect(refusals).toEqual(['address', 'busy']);
    await settled();
    ends.get('a1')!.resolve();
    await first;
    await settled();
    ends.get('a2')!.resolve();
    await second;
    const again = work.run('a', derive('a4'));
    await settled();
    ends.get('a4')!.resolve();
    await expect(again).resolves.toBe('a4');
  });
});

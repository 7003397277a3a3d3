import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Observation } from '../../shared/domain/observation';
import { ObservationItem } from '../../client/features/observations/ObservationItem';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const line: Observation = { id: 'obs-1', tags: ['risk'], authorId: 'a', createdAt: 0, kind: 'line', member: 'M2', forCoTherapist: false };

function show(locked: boolean, quote = '') {
  render(
    <ul>
      <ObservationItem
        observation={line}
        tags={[{ id: 'risk', name: 'Risk/safety', color: '#b91c1c' }]}
        author={{ name: 'Dev Patel', color: '#4f46e5' }}
        offset="02:00 after the start"
        quote={quote}
        response={null}
        extentChange={null}
        nameOf={() => 'Dev Patel'}
        flaggedFor="Carla Cortez"
        canAnswer={false}
        late={false}
        locked={locked}
        onReveal={() => {}}
        onAcknowledge={() => {}}
        onDispute={() => {}}
      />
    </ul>,
  );
  return screen.getByTestId('observation-item').querySelector('.obs-item__quote')!.textContent;
}

// A walk (6 Dec): on the signed note, a tagged line left empty still read "Nothing written after
// the tag yet", as if words could still come.
describe('ObservationItem', () => {
  it('says a tagged line left empty on a signed note has nothing after its label, without "yet"', () => {
    expect(show(true)).toBe('Nothing written after the tag’s label');
  });

  it('says "yet" while the note can still be written, and quotes the words once there are some', () => {
    expect(show(false)).toBe('Nothing written after the tag yet');
    cleanup();
    expect(show(true, 'M2 said she feels hopeless')).toBe('“M2 said she feels hopeless”');
  });
});

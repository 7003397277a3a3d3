import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Observation } from '../../shared/domain/observation';
import type { TagView } from '../../shared/domain/tag';
import { useCodebook } from '../../client/features/observations/useCodebook';
import type { NoteObservations } from '../../client/features/observations/useNoteObservations';
import { keys } from '../../client/query/keys';

afterEach(cleanup);

const affect: TagView = { id: 't-affect', name: 'Affect', color: '#1f6feb', description: '', retired: false };
const notesWith = (...tagIds: string[][]): NoteObservations => {
  const observations = tagIds.map((tags, i): Observation => ({ id: `o${i}`, authorId: 'a', tags, createdAt: 0, kind: 'line', member: null, forCoTherapist: false }));
  return { observations, receivedAt: new Map(), byId: new Map(observations.map((o) => [o.id, o])), responses: new Map(), extents: new Map() };
};

/** The hook over a codebook the server answered with `tags`; counts how often it asks for the codebook again. */
function codebookFor(tags: TagView[], notes: NoteObservations) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(keys.tags, tags);
  let asked = 0;
  const invalidate = client.invalidateQueries.bind(client);
  client.invalidateQueries = ((...args: Parameters<typeof invalidate>) => {
    asked++;
    return invalidate(...args);
  }) as typeof client.invalidateQueries;
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  const hook = renderHook((props: { notes: NoteObservations }) => useCodebook(props.notes), { wrapper, initialProps: { notes } });
  return { hook, asked: () => asked };
}

describe('useCodebook', () => {
  // A clinic walk: a tag the admin added while the note was open showed as its id.
  it('reads the codebook again when the note holds a tag it does not know, once per tag', () => {
    const { hook, asked } = codebookFor([affect], notesWith(['t-affect'], ['t-grief']));
    expect(asked()).toBe(1);
    hook.rerender({ notes: notesWith(['t-affect'], ['t-grief'], ['t-grief']) });
    expect(asked()).toBe(1);
    hook.rerender({ notes: notesWith(['t-grief'], ['t-shame']) });
    expect(asked()).toBe(2);
  });

  it('does not ask again for a note of known tags', () => {
    const { hook, asked } = codebookFor([affect], notesWith(['t-affect']));
    expect(hook.result.current.tagMap.get('t-affect')?.name).toBe('Affect');
    expect(asked()).toBe(0);
  });
});

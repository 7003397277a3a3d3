/**
 * The clinic's codebook for an open note, read again when the note holds a tag the page has not
 * seen: one the admin added after the page loaded, used by the co-therapist from a fresher page
 * (walk, 3 Dec: the observation list showed the new tag's id).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { TagView } from '../../../shared/domain/tag';
import { fetchTags } from '../../api/tags';
import { keys } from '../../query/keys';
import { useStale } from '../../query/useStale';
import type { NoteObservations } from './useNoteObservations';

const NO_TAGS: TagView[] = [];

/** `tags`: the codebook, retired tags included; `tagMap` by id; `reload` reads it again. */
export function useCodebook(notes: NoteObservations): { tags: TagView[]; tagMap: Map<string, TagView>; reload: () => void } {
  const query = useQuery({ queryKey: keys.tags, queryFn: () => fetchTags() });
  const tags = query.data ?? NO_TAGS;
  const tagMap = useMemo(() => new Map(tags.map((t) => [t.id, t])), [tags]);
  const reload = useStale(keys.tags);
  // Each unknown id is asked about once: a tag the server does not know either stays unknown.
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (!query.isSuccess) return;
    const unknown = notes.observations.flatMap((o) => o.tags).filter((id) => !tagMap.has(id) && !asked.current.has(id));
    if (unknown.length === 0) return;
    for (const id of unknown) asked.current.add(id);
    reload();
  }, [notes, tagMap, query.isSuccess, reload]);
  return { tags, tagMap, reload };
}

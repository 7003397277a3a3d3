import { useQuery } from '@tanstack/react-query';
import { fetchTags } from '../../api/tags';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { CodebookPage } from './CodebookPage';
import { CreateTagForm } from './CreateTagForm';
import { TagRow } from './TagRow';

/** `/admin/tags`: the clinic's codebook. Retired tags stay on past observations, by id. */
export function TagsPage() {
  const state = loadStateOf(useQuery({ queryKey: keys.tags, queryFn: () => fetchTags() }));
  const reload = useStale(keys.tags);
  return (
    <CodebookPage
      title="Codebook"
      intro="The tags therapists give observations. Renaming or recolouring a tag changes it everywhere, past observations included; a retired tag cannot be given any more but stays on the observations that have it."
      what="the codebook"
      itemName="Tag"
      testId="tags-table"
      state={state}
      reload={reload}
      row={(t) => <TagRow key={t.id} tag={t} onChanged={reload} />}
      newTitle="New tag"
      form={<CreateTagForm usedColors={state.status === 'ok' ? state.data.map((t) => t.color) : []} onCreated={reload} />}
    />
  );
}

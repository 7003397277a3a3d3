import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/queryKeys';
import { fetchTags } from '../../api/tags';
import { CodebookPage } from './CodebookPage';
import { CreateTagForm } from './CreateTagForm';
import { TagRow } from './TagRow';

/** `/admin/tags`: the clinic's codebook. Retired tags stay on past observations, by id. */
export function TagsPage() {
  const tags = useQuery({ queryKey: queryKeys.tags, queryFn: fetchTags });
  return (
    <CodebookPage
      title="Codebook"
      intro="The tags therapists give observations. Renaming or recolouring a tag changes it everywhere, past observations included; a retired tag cannot be given any more but stays on the observations that have it."
      what="the codebook"
      itemName="Tag"
      testId="tags-table"
      query={tags}
      row={(t) => <TagRow key={t.id} tag={t} />}
      newTitle="New tag"
      form={<CreateTagForm />}
    />
  );
}

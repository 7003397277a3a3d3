import { fetchTags } from '../../api/tags';
import { PageState } from '../../components/PageState';
import { useLoad } from '../../components/useLoad';
import { CreateTagForm } from './CreateTagForm';
import { TagRow } from './TagRow';
import { TableScroll } from '../../components/TableScroll';

/** `/admin/tags`: the clinic's codebook. Retired tags stay on past observations, by id. */
export function TagsPage() {
  const { state, reload } = useLoad(fetchTags, []);
  return (
    <div className="page page--with-aside">
      <section className="page__main">
        <h1 className="page__title">Codebook</h1>
        <p className="muted page__intro">
          The tags therapists give observations. Renaming or recolouring a tag changes it everywhere, past observations
          included; a retired tag cannot be given any more but stays on the observations that have it.
        </p>
        {state.status === 'ok' ? (
          <TableScroll label="The codebook">
            <table className="table" data-testid="tags-table">
              <thead>
                <tr>
                  <th scope="col">Tag</th>
                  <th scope="col">Description</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...state.data]
                  .sort((a, b) => Number(a.retired) - Number(b.retired))
                  .map((t) => (
                    <TagRow key={t.id} tag={t} onChanged={reload} />
                  ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <PageState state={state} onRetry={reload} what="the codebook" />
        )}
      </section>
      <aside className="page__aside panel">
        <h2 className="panel__title">New tag</h2>
        <CreateTagForm onCreated={reload} />
      </aside>
    </div>
  );
}

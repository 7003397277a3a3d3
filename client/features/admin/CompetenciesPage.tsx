import { useState } from 'react';
import type { CompetencyView } from '../../../shared/domain/supervisor';
import { createCompetency, fetchCompetencies, updateCompetency } from '../../api/supervisor';
import { FormError } from '../../components/FormError';
import { PageState } from '../../components/PageState';
import { TableScroll } from '../../components/TableScroll';
import { useLoad } from '../../components/useLoad';
import { useSubmit } from '../../components/useSubmit';

/** `/admin/competencies`: the supervision codebook. Retired competencies stay on past supervision notes. */
export function CompetenciesPage() {
  const { state, reload } = useLoad(fetchCompetencies, []);
  return (
    <div className="page page--with-aside">
      <section className="page__main">
        <h1 className="page__title">Competencies</h1>
        <p className="muted page__intro">
          What supervisors code their supervision notes with. A retired competency cannot be given any more but stays on
          the notes that have it. Supervision notes are not part of a client’s record.
        </p>
        {state.status === 'ok' ? (
          <TableScroll label="The competency codebook">
            <table className="table" data-testid="competencies-table">
              <thead>
                <tr>
                  <th scope="col">Competency</th>
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
                  .map((c) => (
                    <CompetencyRow key={c.id} competency={c} onChanged={reload} />
                  ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <PageState state={state} onRetry={reload} what="the competencies" />
        )}
      </section>
      <aside className="page__aside panel">
        <h2 className="panel__title">New competency</h2>
        <CreateCompetencyForm onCreated={reload} />
      </aside>
    </div>
  );
}

function CompetencyRow({ competency: c, onChanged }: { competency: CompetencyView; onChanged(): void }) {
  const { isPending, error, run } = useSubmit(async () => {
    await updateCompetency(c.id, { retired: !c.retired });
    onChanged();
  });
  return (
    <tr className={c.retired ? 'table__row--muted' : undefined} data-testid="competency-row">
      <td>{c.name}</td>
      <td>{c.description}</td>
      <td>{c.retired ? 'Retired' : 'In use'}</td>
      <td className="table__actions">
        <button type="button" className="link-button" disabled={isPending} onClick={() => void run()}>
          {c.retired ? 'Restore' : 'Retire'}
          <span className="visually-hidden"> {c.name}</span>
        </button>
        <FormError error={error} />
      </td>
    </tr>
  );
}

function CreateCompetencyForm({ onCreated }: { onCreated(): void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { isPending, error, run } = useSubmit(async () => {
    await createCompetency({ name: name.trim(), description: description.trim() });
    setName('');
    setDescription('');
    onCreated();
  });
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <label className="field">
        <span className="field__label">Name</span>
        <input value={name} maxLength={60} required onChange={(e) => setName(e.target.value)} data-testid="competency-name" />
      </label>
      <label className="field">
        <span className="field__label">Description</span>
        <input value={description} maxLength={300} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <FormError error={error} />
      <button type="submit" className="button button--primary" disabled={isPending || !name.trim()}>
        {isPending ? 'Adding…' : 'Add competency'}
      </button>
    </form>
  );
}

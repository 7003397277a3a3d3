import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CompetencyView } from '../../../shared/domain/supervisor';
import { createCompetency, fetchCompetencies, updateCompetency } from '../../api/supervisor';
import { FormError } from '../../components/FormError';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { useSubmit } from '../../components/useSubmit';
import { CodebookPage } from './CodebookPage';

/** `/admin/competencies`: the supervision codebook. Retired competencies stay on past supervision notes. */
export function CompetenciesPage() {
  const state = loadStateOf(useQuery({ queryKey: keys.competencies, queryFn: () => fetchCompetencies() }));
  const reload = useStale(keys.competencies);
  return (
    <CodebookPage
      title="Competencies"
      intro="What supervisors code their supervision notes with. A retired competency cannot be given any more but stays on the notes that have it. Supervision notes are not part of a client’s record."
      what="the competencies"
      itemName="Competency"
      testId="competencies-table"
      state={state}
      reload={reload}
      row={(c) => <CompetencyRow key={c.id} competency={c} onChanged={reload} />}
      newTitle="New competency"
      form={<CreateCompetencyForm onCreated={reload} />}
    />
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

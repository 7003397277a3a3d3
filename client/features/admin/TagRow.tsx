import { useState } from 'react';
import type { TagView } from '../../../shared/domain/tag';
import { updateTag } from '../../api/tags';
import { fieldError, FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';

interface TagRowProps {
  tag: TagView;
  onChanged(): void;
}

/** One tag: shown, or edited in place (name, colour, description); retire and bring back. */
export function TagRow({ tag, onChanged }: TagRowProps) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(tag.name);
  const [color, setColor] = useState(tag.color);
  const [description, setDescription] = useState(tag.description);
  const save = useSubmit(async () => {
    await updateTag(tag.id, { name: name.trim(), color, description: description.trim() });
    setEditing(false);
    onChanged();
  });
  const toggle = useSubmit(async () => {
    await updateTag(tag.id, { retired: !tag.retired });
    onChanged();
  });

  if (editing) {
    return (
      <tr data-testid="tag-row">
        <td colSpan={4}>
          <form className="tag-edit" onSubmit={save.handleSubmit} aria-label={`Edit ${tag.name}`}>
            <input type="color" value={color} onChange={(e) => setColor(e.target.value)} aria-label="Colour" data-testid="tag-edit-color" />
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={40} aria-label="Name" aria-invalid={fieldError(save.error, 'name') ? true : undefined} data-testid="tag-edit-name" />
            <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={300} aria-label="Description" className="tag-edit__description" />
            <button type="submit" className="button button--small button--primary" disabled={save.isPending || !name.trim()} data-testid="tag-edit-save">
              Save
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setEditing(false);
                setName(tag.name);
                setColor(tag.color);
                setDescription(tag.description);
              }}
            >
              Cancel
            </button>
          </form>
          <FormError error={save.error} />
        </td>
      </tr>
    );
  }

  return (
    <tr className={tag.retired ? 'table__row--muted' : undefined} data-testid="tag-row">
      <td>
        <span className="tag-name">
          <span className="tag-dot tag-dot--large" style={{ backgroundColor: tag.color }} aria-hidden="true" />
          <strong>{tag.name}</strong>
        </span>
      </td>
      <td>{tag.description || <span className="muted">—</span>}</td>
      <td>
        <span className={`status ${tag.retired ? 'status--inactive' : 'status--live'}`}>{tag.retired ? 'Retired' : 'In use'}</span>
      </td>
      <td className="table__actions">
        <span className="button-row button-row--end">
          <button type="button" className="button button--small" onClick={() => setEditing(true)} data-testid="tag-edit">
            Edit<span className="visually-hidden"> {tag.name}</span>
          </button>
          <button type="button" className="button button--small" onClick={() => void toggle.run()} disabled={toggle.isPending} data-testid="tag-toggle-retired">
            {tag.retired ? 'Bring back' : 'Retire'}
            <span className="visually-hidden"> {tag.name}</span>
          </button>
        </span>
        <FormError error={toggle.error} />
      </td>
    </tr>
  );
}

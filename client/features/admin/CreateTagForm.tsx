import { useState } from 'react';
import { nextTagColor } from '../../../shared/domain/tag';
import { createTag } from '../../api/tags';
import { Field } from '../../components/Field';
import { fieldError, FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';

/** `usedColors`: the colours of the codebook's tags; the form offers one none of them has. */
export function CreateTagForm({ usedColors, onCreated }: { usedColors: readonly string[]; onCreated(): void }) {
  const [name, setName] = useState('');
  // null until the admin picks one: then the offer follows the codebook as it reloads.
  const [picked, setPicked] = useState<string | null>(null);
  const color = picked ?? nextTagColor(usedColors);
  const [description, setDescription] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const { isPending, error, handleSubmit } = useSubmit(async () => {
    setCreated(null);
    const tag = await createTag({ name: name.trim(), color, description: description.trim() });
    setCreated(tag.name);
    setName('');
    setPicked(null);
    setDescription('');
    onCreated();
  });
  return (
    <form className="form" onSubmit={handleSubmit} noValidate>
      <Field label="Name" error={fieldError(error, 'name')}>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={40} required data-testid="tag-name-input" />
      </Field>
      <Field label="Colour" hint="Used for the underline in the note; pick one that reads well on white." error={fieldError(error, 'color')}>
        <input type="color" value={color} onChange={(e) => setPicked(e.target.value)} data-testid="tag-color-input" />
      </Field>
      <Field label="Description" hint="Optional. Shown in the tag palette." error={fieldError(error, 'description')}>
        <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={300} />
      </Field>
      <FormError error={error} fields={['name', 'color', 'description']} />
      {created && (
        <p className="form-success" role="status">
          Tag “{created}” added.
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={isPending || !name.trim()} data-testid="create-tag-submit">
        {isPending ? 'Adding…' : 'Add tag'}
      </button>
    </form>
  );
}

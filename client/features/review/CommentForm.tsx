import { useState } from 'react';
import { FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';

interface CommentFormProps {
  label: string;
  submitLabel: string;
  initial?: string;
  autoFocus?: boolean;
  onSubmit(body: string): Promise<void>;
  onCancel?(): void;
}

/** A comment or reply: Ctrl/⌘+Enter saves, Escape cancels. */
export function CommentForm({ label, submitLabel, initial = '', autoFocus = true, onSubmit, onCancel }: CommentFormProps) {
  const [body, setBody] = useState(initial);
  const { isPending, error, run } = useSubmit(async () => {
    await onSubmit(body.trim());
    setBody('');
  });
  return (
    <form
      className="comment-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim()) void run();
      }}
    >
      <textarea
        aria-label={label}
        rows={3}
        value={body}
        maxLength={5000}
        autoFocus={autoFocus}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && body.trim()) {
            e.preventDefault();
            void run();
          } else if (e.key === 'Escape' && onCancel) {
            e.preventDefault();
            onCancel();
          }
        }}
        data-testid="comment-input"
      />
      <FormError error={error} />
      <div className="button-row">
        <button type="submit" className="button button--small button--primary" disabled={isPending || !body.trim()} data-testid="comment-submit">
          {isPending ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button button--small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

import { ApiError, errorMessage } from '../api/http';

/** A form's error that belongs to no single field (or to a field the form does not show). */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return null;
  // Field errors are shown beside their field by the form itself.
  if (error instanceof ApiError && error.field && fields.includes(error.field)) return null;
  return (
    <p className="form-error" role="alert">
      {errorMessage(error)}
    </p>
  );
}

/** The API's message for `field`, when the error is about that field. */
export function fieldError(error: unknown, field: string): string | null {
  return error instanceof ApiError && error.field === field ? error.message : null;
}

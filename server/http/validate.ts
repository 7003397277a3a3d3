import type { z } from 'zod';
import { invalid } from '../domain/errors';

/** Parses a request part with a zod schema; the 400 names the first wrong field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  const message = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'Invalid request.';
  throw invalid('invalid_input', message, field);
}

/**
 * The API names a refused field and gives the schema's reason in the schema library's words
 * ("newPassword: Too small: expected string to have >=10 characters"). People are told the same
 * thing in a sentence about the field they filled in ("The new password needs at least 10
 * characters."). Reasons this does not recognise are passed on, capitalised, without the field's
 * code name.
 */

/** What each field the API can name is called on the page. */
const FIELD_NAMES: Record<string, string> = {
  body: 'The comment',
  color: 'The colour',
  currentPassword: 'The current password',
  description: 'The description',
  email: 'The email address',
  format: 'The note format',
  kind: 'The kind of session',
  labels: 'Each label',
  name: 'The name',
  newPassword: 'The new password',
  password: 'The password',
  quote: 'The quoted words',
  reason: 'The reason',
  role: 'The role',
  scheduledAt: 'The scheduled time',
  text: 'The addendum',
  title: 'The title',
  userId: 'The person',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** A person's sentence for the API's validation `message` about `field`. */
export function validationText(message: string, field?: string): string {
  const base = field?.split('.')[0] ?? '';
  const reason = field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  const what = FIELD_NAMES[base] ?? 'This field';
  let m: RegExpMatchArray | null;
  if ((m = reason.match(/^Too small: expected string to have >=?(\d+) characters?/))) {
    const n = Number(m[1]);
    return n <= 1 ? `${what} cannot be empty.` : `${what} needs at least ${plural(n, 'character', 'characters')}.`;
  }
  if ((m = reason.match(/^Too big: expected string to have <=?(\d+) characters?/))) return `${what} can be at most ${plural(Number(m[1]), 'character', 'characters')} long.`;
  if ((m = reason.match(/^Too small: expected array to have >=?(\d+) items?/))) return `Give at least ${Number(m[1])}.`;
  if ((m = reason.match(/^Too big: expected array to have <=?(\d+) items?/))) return `${what} can have at most ${plural(Number(m[1]), 'entry', 'entries')}.`;
  if (/^Invalid email/i.test(reason)) return 'Enter an email address such as name@clinic.org.';
  if (/^Invalid input: expected \w+, received undefined/.test(reason)) return `${what} is missing.`;
  if (/^Invalid option/.test(reason)) return `${what} must be one of the choices offered.`;
  if (/^Invalid (input|UUID|ISO|string|date|number)/i.test(reason)) return `${what} is not valid.`;
  if (/^Unrecognized key/.test(reason)) return 'The page sent something the server does not take. Reload the page and try again.';
  return sentence(reason);
}

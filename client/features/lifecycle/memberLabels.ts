/**
 * Reading the member labels a therapist types as one list. Labels are separated by commas,
 * semicolons or spaces; but words written as a person's name ("Jane Doe") are refused
 * as one entry, not read as two members: "Jane Doe, M2" made Jane, Doe and M2 (walk, 6 Dec).
 */
import { memberLabelSchema } from '../../../shared/domain/observation';

/** As many as the server takes (`PUT …/group-members`). */
const MAX_GROUP_MEMBERS = 30;

/**
 * A word written as a name: capitalised ("Jane", "Jo"), or three letters or more in lower case
 * ("jane", "doe"); unlike initials or codes ("JD", "jd", "M3").
 */
const NAME_WORD = /^\p{Lu}\p{Ll}+$|^(?=.*\p{Ll})\p{L}{3,}$/u;

/**
 * Words for the people in a family or a couple, not names: "Mum Dad C1" was refused as a person's
 * name in a family session (walk, 6 Dec). Compared in lower case; labels are at most 4 characters.
 */
const RELATION_WORDS = new Set(['mum', 'mom', 'mam', 'dad', 'ma', 'pa', 'mo', 'fa', 'gran', 'nan', 'papa', 'son', 'dau', 'bro', 'sis', 'wife', 'hub']);

const readsAsName = (word: string) => NAME_WORD.test(word) && !RELATION_WORDS.has(word.toLowerCase());

/** The labels `text` lists, in order, or what is wrong with it (nothing is saved then). */
export function parseMemberLabels(text: string): { labels: string[]; error: string | null } {
  const entries = text.split(/[,;]+/).map((e) => e.trim()).filter(Boolean);
  const named = entries.find((e) => /\s/.test(e) && e.split(/\s+/).some(readsAsName));
  const labels = entries.flatMap((e) => e.split(/\s+/));
  if (named) return { labels, error: `“${named}” reads as a person’s name: give each member initials or a short code (such as JD or M3), never a name.` };
  const bad = labels.find((l) => !memberLabelSchema.safeParse(l).success);
  if (bad) return { labels, error: `“${bad}” is not a label: use initials or a short code such as M3 (up to 4 letters or digits).` };
  if (new Set(labels).size !== labels.length) return { labels, error: 'Each label may appear only once.' };
  if (labels.length > MAX_GROUP_MEMBERS) return { labels, error: `At most ${MAX_GROUP_MEMBERS} labels.` };
  return { labels, error: null };
}

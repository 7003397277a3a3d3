import type * as Y from 'yjs';
import { canonicalNote } from '../../shared/note/noteCanonical';

/**
 * SHA-256 (hex) of this page's copy of the note, as the server computes the stored note's: sent
 * with a signature, so a page whose copy differs from the record does not sign. Undefined where
 * the browser offers no Web Crypto (a page not served over HTTPS or from localhost): the
 * signature then goes without the check.
 */
export async function digestOfCopy(doc: Y.Doc): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalNote(doc)));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

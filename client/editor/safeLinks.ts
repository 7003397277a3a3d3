import { Extension } from '@tiptap/core';
import Link from '@tiptap/extension-link';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/** How links in the note are rendered: a new tab that gets neither an opener nor a referrer. */
const LINK_ATTRIBUTES = { target: '_blank', rel: 'noopener noreferrer nofollow' } as const;

/** A link attribute the note never holds: taken from no pasted HTML, and not rendered if a stored link has it. */
const NEVER = { default: null, parseHTML: () => null, rendered: false } as const;

/**
 * Typed words become a link only when written as an address: linkify reads any word.word whose end
 * is a top-level domain as one, so "directly.No" (a full stop without its space) turned into a
 * link to directly.no in a clinical note (walk, 6 Dec).
 */
const WRITTEN_AS_ADDRESS = /^(https?:\/\/|www\.)/i;

/**
 * The note's link mark. A pasted link's `class` and `title` are dropped (the server refuses
 * them, noteSchema.ts): with them one therapist could make her words look like an observation or
 * a late entry, with a tooltip naming the co-therapist (attack, 3 Dec). Links open only through
 * SafeLinks, so Tiptap's own click handler is off.
 */
export const NoteLink = Link.extend({
  addAttributes() {
    return { ...this.parent?.(), class: NEVER, title: NEVER };
  },
}).configure({ openOnClick: false, HTMLAttributes: LINK_ATTRIBUTES, shouldAutoLink: (typed) => WRITTEN_AS_ADDRESS.test(typed) });

/** What a click may open: web and mail addresses, never `javascript:` or `data:`. */
const OPENABLE = /^(https?|mailto):/i;

function openLink(view: EditorView, event: MouseEvent): boolean {
  const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!(link instanceof HTMLAnchorElement) || !view.dom.contains(link)) return false;
  // The browser's own navigation would follow whatever rel and target the stored mark carries.
  event.preventDefault();
  const wantsToOpen = !view.editable || event.button === 1 || event.ctrlKey || event.metaKey;
  if (wantsToOpen && OPENABLE.test(link.href)) window.open(link.href, '_blank', 'noopener,noreferrer');
  return true;
}

/**
 * Links in the note open only through here, in a new tab with no opener and no referrer, so the
 * page a link leads to can neither script the note's tab (reverse tabnabbing) nor learn its
 * address. Tiptap's own link click handler calls `window.open(href, target)`, which keeps the
 * opener, so the link mark is configured with `openOnClick: false` beside this. While writing, a
 * click places the caret and Ctrl/⌘-click or a middle click opens; in a read-only note a click opens.
 */
export const SafeLinks = Extension.create({
  name: 'safeLinks',
  addProseMirrorPlugins() {
    return [new Plugin({ key: new PluginKey('safeLinks'), props: { handleDOMEvents: { click: openLink, auxclick: openLink } } })];
  },
});

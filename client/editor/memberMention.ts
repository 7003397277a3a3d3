/**
 * A group member the text concerns, as a node of its own (not the letters "@M2"): typing `@`
 * offers the session's member labels, and the palette inserts one too. The node holds only the
 * label (`id`), which the server checks against the session's members; a free-text display label
 * could carry a name, so the node has none.
 */
import type { Editor } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import Mention from '@tiptap/extension-mention';
import type { SuggestionKeyDownProps, SuggestionProps } from '@tiptap/suggestion';
import { MENTION_NODE } from '../../shared/ydoc/sessionDoc';

/** The suggestion list: a plain listbox under the typed `@`, chosen by arrows and Enter or a click. */
function suggestionList() {
  let box: HTMLUListElement | null = null;
  let items: string[] = [];
  let active = 0;
  let choose: ((label: string) => void) | null = null;

  const draw = (props: SuggestionProps<string>) => {
    if (!box) return;
    items = props.items;
    choose = (label) => props.command({ id: label });
    active = Math.min(active, Math.max(0, items.length - 1));
    box.replaceChildren(
      ...(items.length === 0
        ? [Object.assign(document.createElement('li'), { className: 'mention-list__empty', textContent: 'No member has this label' })]
        : items.map((label, i) => {
            const li = document.createElement('li');
            li.role = 'option';
            li.id = `mention-option-${label}`;
            li.className = `mention-list__item${i === active ? ' mention-list__item--active' : ''}`;
            li.setAttribute('aria-selected', String(i === active));
            li.textContent = `@${label}`;
            // mousedown, not click: a click would first take the editor's focus and end the suggestion.
            li.addEventListener('mousedown', (e) => {
              e.preventDefault();
              choose?.(label);
            });
            return li;
          })),
    );
    if (items.length > 0) box.setAttribute('aria-activedescendant', `mention-option-${items[active]}`);
    const rect = props.clientRect?.();
    if (rect) {
      box.style.left = `${Math.max(4, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - 180))}px`;
      box.style.top = `${rect.bottom + window.scrollY + 4}px`;
    }
  };

  return {
    onStart(props: SuggestionProps<string>) {
      active = 0;
      box = document.createElement('ul');
      box.className = 'mention-list';
      box.role = 'listbox';
      box.setAttribute('aria-label', 'Members');
      document.body.append(box);
      draw(props);
    },
    onUpdate: draw,
    onKeyDown({ event }: SuggestionKeyDownProps): boolean {
      if (!box || items.length === 0) return event.key === 'Enter';
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        active = (active + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
        box.querySelectorAll('li').forEach((li, i) => {
          li.classList.toggle('mention-list__item--active', i === active);
          li.setAttribute('aria-selected', String(i === active));
        });
        box.setAttribute('aria-activedescendant', `mention-option-${items[active]}`);
        return true;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        choose?.(items[active]!);
        return true;
      }
      return false;
    },
    onExit() {
      box?.remove();
      box = null;
    },
  };
}

/**
 * The member list's plugin (Tiptap's suggestion): its state says whether a mention is being typed
 * and where (`{ active, range }`), which the late-entry marks read (lateEntries.ts).
 */
export const mentionSuggestionKey = new PluginKey('memberMentionSuggestion');

const MemberMention = Mention.extend({
  name: MENTION_NODE,

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-member'),
        renderHTML: (attrs) => (typeof attrs.id === 'string' ? { 'data-member': attrs.id } : {}),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'span[data-member]' }];
  },

  addProseMirrorPlugins() {
    const name = this.name;
    // Choosing a member writes the mention and a space; a therapist who types her own space next
    // (as after any word) would get two. That space takes the place of the one written for her,
    // and punctuation typed there replaces it (walk, 4 Dec: "with @JD and @M1 ." went into the record).
    const afterChosen = new Plugin({
      props: {
        handleTextInput(view, from, to, text) {
          if (from !== to || !(text === ' ' || /^[.,;:!?)]$/.test(text))) return false;
          const { doc } = view.state;
          if (from < 2 || doc.textBetween(from - 1, from) !== ' ' || doc.resolve(from - 1).nodeBefore?.type.name !== name) return false;
          if (text !== ' ') view.dispatch(view.state.tr.insertText(text, from - 1, from));
          return true;
        },
      },
    });
    return [...(this.parent?.() ?? []), afterChosen];
  },
});

/** The extension for one session: suggestions come from its current members. */
export function memberMention(members: () => readonly string[]) {
  return MemberMention.configure({
    HTMLAttributes: { class: 'mention' },
    renderText: ({ node }) => `@${String(node.attrs.id ?? '')}`,
    renderHTML: ({ options, node }) => ['span', options.HTMLAttributes, `@${String(node.attrs.id ?? '')}`],
    suggestion: {
      char: '@',
      pluginKey: mentionSuggestionKey,
      items: ({ query }: { query: string }) => members().filter((m) => m.toLowerCase().startsWith(query.toLowerCase())),
      render: suggestionList,
    },
  });
}

/**
 * Starts a mention from a button (no keyboard needed, e.g. on a phone): writes the `@` that opens
 * the member list at the cursor, where a choice replaces it with the mention.
 */
export function startMention(editor: Editor): boolean {
  return editor.chain().focus().insertContent('@').run();
}

/**
 * The co-therapist's caret with their name, shown while they write or move and faded out a few
 * seconds after, so the label does not sit over the line above the whole time. Activity is a
 * change of that person's presence (their caret or selection moved); the label's fade is a CSS
 * animation that each change restarts. A caret drawn again mid-fade (the note was redrawn) picks
 * the fade up where it was, through a negative animation delay.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { Awareness } from 'y-protocols/awareness';

/** How long a label stays after the last activity, fade included (matches `caret-label` in styles.css). */
export const CARET_LABEL_MS = 3000;

interface CaretUser {
  name?: string;
  color?: string;
  accountId?: string;
}

const personKey = (user: CaretUser) => user.accountId ?? user.name ?? '';

/** Remembers when each person last moved, and draws their caret accordingly. */
export class CaretLabels {
  private readonly lastActive = new Map<string, number>();

  constructor(private readonly awareness: Awareness) {}

  /** Tiptap's caret renderer: the caret line and its name label. */
  readonly render = (user: CaretUser): HTMLElement => {
    const caret = document.createElement('span');
    caret.classList.add('collaboration-carets__caret');
    caret.style.borderColor = user.color ?? 'transparent';
    caret.dataset.person = personKey(user);
    const label = document.createElement('span');
    label.classList.add('collaboration-carets__label');
    label.style.backgroundColor = user.color ?? 'transparent';
    // As an attribute the stylesheet draws (::after): no text the editor could ever read back as the note's.
    label.dataset.name = user.name ?? '';
    caret.append(label);
    const since = Date.now() - (this.lastActive.get(personKey(user)) ?? -Infinity);
    if (since < CARET_LABEL_MS) {
      label.classList.add('collaboration-carets__label--active');
      label.style.animationDelay = `-${since}ms`;
    }
    return caret;
  };

  /** A Tiptap extension that follows the awareness changes while the editor lives. */
  extension(): Extension {
    const labels = this;
    return Extension.create({
      name: 'caretLabels',
      addProseMirrorPlugins() {
        return [
          new Plugin({
            key: new PluginKey('caretLabels'),
            view(view) {
              const onChange = ({ added, updated }: { added: number[]; updated: number[] }) => {
                for (const clientId of [...added, ...updated]) {
                  if (clientId === labels.awareness.clientID) continue;
                  const user = (labels.awareness.getStates().get(clientId) as { user?: CaretUser } | undefined)?.user;
                  if (!user) continue;
                  const key = personKey(user);
                  labels.lastActive.set(key, Date.now());
                  // Restart the fade on the caret already drawn (the redraw may keep it).
                  for (const el of view.dom.querySelectorAll<HTMLElement>('.collaboration-carets__caret')) {
                    if (el.dataset.person !== key) continue;
                    const label = el.querySelector<HTMLElement>('.collaboration-carets__label');
                    if (!label) continue;
                    label.classList.remove('collaboration-carets__label--active');
                    label.style.animationDelay = '0ms';
                    void label.offsetWidth;
                    label.classList.add('collaboration-carets__label--active');
                  }
                }
              };
              labels.awareness.on('change', onChange);
              return { destroy: () => labels.awareness.off('change', onChange) };
            },
          }),
        ];
      },
    });
  }
}

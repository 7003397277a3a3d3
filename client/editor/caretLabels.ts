/**
 * The co-therapist's caret with their name. The name sits over the line above the caret, so it is
 * shown only for a moment, when their caret comes to a line (another paragraph, list item or
 * heading) or moves again after a pause, and while the pointer is on the caret; it is not shown
 * again for each key while they write along a line (walk: the name sat over the other therapist's
 * line above the whole time the co-therapist wrote, hiding a word). Activity is a change of that
 * person's presence (their caret or selection moved); the label's fade is a CSS animation that
 * each showing restarts. A caret drawn again mid-fade (the note was redrawn) picks the fade up
 * where it was, through a negative animation delay.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { yCursorPluginKey } from '@tiptap/y-tiptap';
import type { Awareness } from 'y-protocols/awareness';

/** How long a label stays once shown, fade included (matches `caret-label` in styles.css). */
export const CARET_LABEL_MS = 3000;
/** A person whose caret was still this long has paused: their next move shows their name again. */
export const CARET_PAUSE_MS = 5000;
/** How near the caret's line (each side, in px) the pointer shows its name: the line itself is 2 px wide. */
const HOVER_PX = 6;

interface CaretUser {
  name?: string;
  color?: string;
  accountId?: string;
}

/** What the labels know of one person: when they last moved, on which line, and when their name was last shown. */
interface Seen {
  movedAt: number;
  line: string | null;
  shownAt: number;
}

const personKey = (user: CaretUser) => user.accountId ?? user.name ?? '';

const HOVERED = 'collaboration-carets__caret--hovered';
const ACTIVE = 'collaboration-carets__label--active';

/** The drawn carets of the person `key` in the editor (one per device of theirs). */
function caretsOf(view: EditorView, key: string): HTMLElement[] {
  return Array.from(view.dom.querySelectorAll<HTMLElement>('.collaboration-carets__caret')).filter((el) => el.dataset.person === key);
}

/**
 * Which textblock the caret stands in, as its path of child indexes from the note's root (it
 * survives words typed before it, which move every position after them). Null where it cannot
 * be told.
 */
function lineOf(view: EditorView, caret: HTMLElement): string | null {
  try {
    const $pos = view.state.doc.resolve(view.posAtDOM(caret, 0));
    return Array.from({ length: $pos.depth }, (_, d) => $pos.index(d)).join('/');
  } catch {
    return null;
  }
}

/** Restarts the label's showing (and fade) on a caret already drawn: the redraw may keep it. */
function showLabel(caret: HTMLElement): void {
  const label = caret.querySelector<HTMLElement>('.collaboration-carets__label');
  if (!label) return;
  label.classList.remove(ACTIVE);
  label.style.animationDelay = '0ms';
  void label.offsetWidth;
  label.classList.add(ACTIVE);
}

/** Remembers when each person last moved and was named, and draws their caret accordingly. */
export class CaretLabels {
  private readonly seen = new Map<string, Seen>();
  /** People who moved since the carets were last drawn. */
  private readonly moving = new Set<string>();

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
    const since = Date.now() - (this.seen.get(personKey(user))?.shownAt ?? -Infinity);
    if (since < CARET_LABEL_MS) {
      label.classList.add(ACTIVE);
      label.style.animationDelay = `-${since}ms`;
    }
    return caret;
  };

  /**
   * The moves since the carets were last drawn, now that they stand where those people are: a
   * name shows if its person came to another line or had paused, not for a move along the line
   * they write on.
   */
  private settle(view: EditorView): void {
    const now = Date.now();
    for (const key of this.moving) {
      const carets = caretsOf(view, key);
      const line = carets.length > 0 ? lineOf(view, carets[0]!) : null;
      const before = this.seen.get(key);
      const show = !before || now - before.movedAt >= CARET_PAUSE_MS || (line !== null && line !== before.line);
      this.seen.set(key, { movedAt: now, line: line ?? before?.line ?? null, shownAt: show ? now : (before?.shownAt ?? -Infinity) });
      if (show) carets.forEach(showLabel);
    }
    this.moving.clear();
  }

  /** A Tiptap extension that follows the awareness changes and the pointer while the editor lives. */
  extension(): Extension {
    const labels = this;
    return Extension.create({
      name: 'caretLabels',
      addProseMirrorPlugins() {
        return [
          new Plugin({
            key: new PluginKey('caretLabels'),
            view(view) {
              // The caret plugin draws the carets where they now are a moment after the change
              // (it batches them); the move is settled once it has (`update` below).
              const onChange = ({ added, updated }: { added: number[]; updated: number[] }) => {
                for (const clientId of [...added, ...updated]) {
                  if (clientId === labels.awareness.clientID) continue;
                  const user = (labels.awareness.getStates().get(clientId) as { user?: CaretUser } | undefined)?.user;
                  if (user) labels.moving.add(personKey(user));
                }
              };
              // The name under the pointer: the caret takes no pointer events (a click beside it
              // places one's own caret in the words), so its nearness is measured.
              const onPointer = (event: MouseEvent) => {
                for (const caret of view.dom.querySelectorAll<HTMLElement>('.collaboration-carets__caret')) {
                  const box = caret.getBoundingClientRect();
                  const near = event.clientX >= box.left - HOVER_PX && event.clientX <= box.right + HOVER_PX && event.clientY >= box.top && event.clientY <= box.bottom;
                  caret.classList.toggle(HOVERED, near);
                }
              };
              const onLeave = () => view.dom.querySelectorAll(`.${HOVERED}`).forEach((caret) => caret.classList.remove(HOVERED));
              labels.awareness.on('change', onChange);
              view.dom.addEventListener('mousemove', onPointer);
              view.dom.addEventListener('mouseleave', onLeave);
              return {
                update: (_, before) => {
                  // Only once the carets were drawn again: a keystroke of one's own in between leaves them where they were.
                  if (labels.moving.size > 0 && yCursorPluginKey.getState(view.state) !== yCursorPluginKey.getState(before)) labels.settle(view);
                },
                destroy: () => {
                  labels.awareness.off('change', onChange);
                  view.dom.removeEventListener('mousemove', onPointer);
                  view.dom.removeEventListener('mouseleave', onLeave);
                },
              };
            },
          }),
        ];
      },
    });
  }
}

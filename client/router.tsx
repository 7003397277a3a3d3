/**
 * A tiny history-API router: the app has a handful of flat routes, which does not justify a
 * router dependency. Paths are plain strings; patterns use `:name` segments.
 */
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();
/** What pages say before the app leaves them (see useLeaveGuard). */
const guards = new Set<() => string | null>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** Goes to `to` inside the app without reloading the page. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  for (const guard of guards) {
    const question = guard();
    if (question !== null && !window.confirm(question)) return;
  }
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

/**
 * Asks before the app navigates away from a page holding text nothing else keeps, as
 * `beforeunload` asks before a reload: `question()` is the question, or null to let it go. (A
 * debrief's text typed just before "Open the note" was lost: walk, 4 Dec.) The browser's Back
 * button is not asked about: the history has moved by then.
 */
export function useLeaveGuard(question: () => string | null): void {
  useEffect(() => {
    guards.add(question);
    return () => void guards.delete(question);
  }, [question]);
}

/** The current path; components re-render when it changes. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** Matches `/sessions/:id` against a path; returns the decoded params, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = (path.length > 1 ? path.replace(/\/+$/, '') : path).split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = got[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An anchor that navigates in-app on a plain click and behaves like a link otherwise (new tab…). */
export function Link({ to, onClick, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0;
    if (event.defaultPrevented || modified) return;
    event.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handleClick} {...rest} />;
}

/** The `?next=` path to return to after logging in, if it is one of ours; otherwise `/`. */
export function nextPathFromQuery(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  // Only same-app paths: "//host" or "https://…" would make this an open redirect.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

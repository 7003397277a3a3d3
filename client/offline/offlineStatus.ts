/**
 * Whether what the page shows came from this device because the server could not be reached.
 * Set by the API wrapper on every answer; read by the offline notice and by pages that load
 * again when the connection returns.
 */
import { useSyncExternalStore } from 'react';

let fromDevice = false;
const listeners = new Set<() => void>();

/** Called with each API answer: `device` when the server was out of reach and a kept answer was used. */
export function answeredBy(source: 'server' | 'device'): void {
  const next = source === 'device';
  if (next === fromDevice) return;
  fromDevice = next;
  for (const listener of listeners) listener();
}

export function isShowingDeviceCopy(): boolean {
  return fromDevice;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useShowingDeviceCopy(): boolean {
  return useSyncExternalStore(subscribe, isShowingDeviceCopy);
}

/**
 * Runs `again` when the network is back while the page shows kept answers: when the browser says
 * so, and when an answer comes from the server again. The browser says nothing when it was online
 * all along and only the server was out of reach: the page then kept showing this device's answers
 * (the sessions opened here, as the whole list) after the server answered again.
 */
export function onBackOnline(again: () => void): () => void {
  const handle = () => {
    if (fromDevice) again();
  };
  const answered = () => {
    if (!fromDevice) again();
  };
  window.addEventListener('online', handle);
  listeners.add(answered);
  return () => {
    window.removeEventListener('online', handle);
    listeners.delete(answered);
  };
}

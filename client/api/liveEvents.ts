/**
 * One server-sent event stream per tab (`GET /api/events`), shared by every part of the page that
 * wants to hear of new comments or notices. The stream carries ids only; listeners reload what they
 * show through the API. EventSource reconnects by itself after a network break.
 */
import { useEffect, useRef } from 'react';
import type { LiveEvent } from '../../shared/domain/supervisor';

type Listener = (event: LiveEvent) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;

function connect(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/events');
  source.onmessage = (message) => {
    const event = JSON.parse(message.data as string) as LiveEvent;
    for (const listener of listeners) listener(event);
  };
}

function disconnectWhenUnused(): void {
  if (listeners.size > 0 || !source) return;
  source.close();
  source = null;
}

/** Calls `onEvent` for each live event while the component is mounted (the latest callback is used). */
export function useLiveEvents(onEvent: Listener): void {
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => {
    const listener: Listener = (event) => latest.current(event);
    listeners.add(listener);
    connect();
    return () => {
      listeners.delete(listener);
      disconnectWhenUnused();
    };
  }, []);
}

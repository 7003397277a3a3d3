/**
 * One server-sent event stream per tab (`GET /api/events`), shared by every part of the page that
 * wants to hear of new comments or notices. The stream carries ids only; listeners reload what they
 * show through the API. EventSource reconnects by itself after a network break; each time it
 * connects, listeners hear `opened` and reload too.
 */
import { useEffect, useRef } from 'react';
import type { LiveEvent } from '../../shared/domain/supervisor';

/**
 * What a listener hears: a live event, or `opened`: the stream connected (at first, or again after
 * a break). What was sent while it was not connected is lost, so anything may have changed.
 */
export type StreamEvent = LiveEvent | { type: 'opened' };

type Listener = (event: StreamEvent) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;

function tell(event: StreamEvent): void {
  for (const listener of listeners) listener(event);
}

function connect(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/events');
  // A page read what it shows before its stream was open (or while it was broken): a change made
  // meanwhile was told to no stream of ours, and the page would show the older state until the next event.
  source.onopen = () => tell({ type: 'opened' });
  source.onmessage = (message) => tell(JSON.parse(message.data as string) as LiveEvent);
}

function disconnectWhenUnused(): void {
  if (listeners.size > 0 || !source) return;
  source.close();
  source = null;
}

/** Calls `onEvent` for each live event, and each `opened`, while the component is mounted (the latest callback is used). */
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

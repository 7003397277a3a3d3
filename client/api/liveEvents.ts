/**
 * One server-sent event stream per tab (`GET /api/events`), open while some part of the page shows
 * what it tells of (new comments, notices, a session's changes). The stream carries ids only: each
 * event makes the queries it concerns stale (query/liveInvalidation.ts), and those in use are read
 * again. EventSource reconnects by itself after a network break, but an answer that is not a stream
 * (429 past the rate limit, 503 while storage is down, a proxy's error page) ends it for good: the
 * page then never heard of a new comment or notice again. Such a stream is asked for again after a
 * wait. Each time it connects, everything live is read again too.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { backoffDelay, type Backoff } from '../../shared/backoff';
import type { LiveEvent } from '../../shared/domain/supervisor';
import { invalidateForLiveEvent, type StreamEvent } from '../query/liveInvalidation';

/** The query clients listening, with how many mounted components use each (one client in the app). */
const users = new Map<QueryClient, number>();
let source: EventSource | null = null;
/** The wait before asking again for a stream the server refused, and how many refusals in a row. */
let retry: ReturnType<typeof setTimeout> | null = null;
let refusals = 0;
const RETRY: Backoff = { firstMs: 1_000, maxMs: 30_000 };

function tell(event: StreamEvent): void {
  for (const client of users.keys()) invalidateForLiveEvent(client, event);
}

function connect(): void {
  if (source || retry || typeof EventSource === 'undefined') return;
  const stream = new EventSource('/api/events');
  source = stream;
  stream.onopen = () => {
    refusals = 0;
    tell({ type: 'opened' });
  };
  stream.onmessage = (message) => tell(JSON.parse(message.data as string) as LiveEvent);
  // CONNECTING after an error: EventSource is already trying again. CLOSED: it has given up.
  stream.onerror = () => {
    if (stream.readyState !== EventSource.CLOSED || source !== stream) return;
    source = null;
    retry = setTimeout(() => {
      retry = null;
      if (users.size > 0) connect();
    }, backoffDelay(refusals++, RETRY));
  };
}

function disconnectWhenUnused(): void {
  if (users.size > 0) return;
  if (retry) clearTimeout(retry);
  retry = null;
  source?.close();
  source = null;
}

/** Keeps the live stream open while the calling component is mounted, so what it shows stays current. */
export function useLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(() => {
    users.set(client, (users.get(client) ?? 0) + 1);
    connect();
    return () => {
      const left = (users.get(client) ?? 1) - 1;
      if (left > 0) users.set(client, left);
      else users.delete(client);
      disconnectWhenUnused();
    };
  }, [client]);
}

/**
 * One server-sent event stream per tab (`GET /api/events`), open while some part of the page shows
 * what it tells of (new comments, notices, a session's changes). The stream carries ids only: each
 * event makes the queries it concerns stale (query/liveInvalidation.ts), and those in use are read
 * again. EventSource reconnects by itself after a network break; each time it connects, everything
 * live is read again too.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { LiveEvent } from '../../shared/domain/supervisor';
import { invalidateForLiveEvent, type StreamEvent } from '../query/liveInvalidation';

/** The query clients listening, with how many mounted components use each (one client in the app). */
const users = new Map<QueryClient, number>();
let source: EventSource | null = null;

function tell(event: StreamEvent): void {
  for (const client of users.keys()) invalidateForLiveEvent(client, event);
}

function connect(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/events');
  source.onopen = () => tell({ type: 'opened' });
  source.onmessage = (message) => tell(JSON.parse(message.data as string) as LiveEvent);
}

function disconnectWhenUnused(): void {
  if (users.size > 0 || !source) return;
  source.close();
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

import type { LiveEvent } from '../../shared/domain/supervisor';
import type { ApiClient } from './api';
import { deferCleanup } from './services';

export interface LiveStream {
  events: LiveEvent[];
  /** Whether the server has answered and the stream is open (false again once the server ended it). */
  open(): boolean;
  /** Whether the server ended the stream (a page's EventSource would reconnect and read again). */
  ended(): boolean;
  close(): void;
}

/**
 * `GET /api/events` as a page holds it open: a real HTTP stream with the person's cookie, its
 * server-sent events parsed as they arrive.
 */
export function openLiveStream(api: ApiClient): LiveStream {
  const events: LiveEvent[] = [];
  const abort = new AbortController();
  let isOpen = false;
  let isEnded = false;
  void (async () => {
    const res = await fetch(`${api.baseUrl}/api/events`, { headers: { cookie: api.cookie ?? '', accept: 'text/event-stream' }, signal: abort.signal });
    if (!res.ok || !res.body) throw new Error(`live stream refused: ${res.status}`);
    isOpen = true;
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffer += decoder.decode(read.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of block.split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as LiveEvent);
      }
    }
    isOpen = false;
    isEnded = true;
  })().catch(() => {
    isOpen = false;
  });
  const stream = { events, open: () => isOpen, ended: () => isEnded, close: () => abort.abort() };
  deferCleanup(() => stream.close());
  return stream;
}

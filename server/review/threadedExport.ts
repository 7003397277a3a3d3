import type { ReviewView } from '../../shared/domain/review';
import { IDLE_THREAD_MS, ThreadClient } from '../threads/ThreadClient';
import type { ExportOptions } from './reviewDocument';

export type ExportFormat = 'markdown' | 'pdf';

export interface ExportRequest {
  review: ReviewView;
  options: ExportOptions;
  format: ExportFormat;
}

/**
 * Exports made on a worker thread. Embedding and laying out a PDF's fonts takes the CPU for 0.1 s
 * on a short note and most of a second on a long one; a Markdown export of a note a member broke
 * into 20,000 one-letter runs took 1.8–3.4 s (attack7, 1 Dec). On the event loop either would
 * hold up every keystroke being relayed. The thread starts with the first export; `close` stops it.
 */
export function threadedExport(): { render(review: ReviewView, options: ExportOptions, format: ExportFormat): Promise<Buffer>; close(): Promise<void> } {
  const thread = new ThreadClient<ExportRequest, Uint8Array>(new URL('./exportWorker.ts', import.meta.url), null, { endWhenIdleMs: IDLE_THREAD_MS });
  return {
    render: async (review, options, format) => {
      const bytes = await thread.request({ review, options, format });
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    close: () => thread.close(),
  };
}

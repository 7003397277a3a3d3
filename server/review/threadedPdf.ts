import type { ReviewView } from '../../shared/domain/review';
import { IDLE_THREAD_MS, ThreadClient } from '../threads/ThreadClient';
import type { ExportOptions } from './reviewDocument';

export interface PdfRequest {
  review: ReviewView;
  options: ExportOptions;
}

/**
 * PDF exports made on a worker thread: embedding and laying out the fonts takes the CPU for 0.1 s
 * on a short note and most of a second on a long one, which on the event loop would hold up every
 * keystroke being relayed. The thread starts with the first export; `close` stops it.
 */
export function threadedPdf(): { render(review: ReviewView, options: ExportOptions): Promise<Buffer>; close(): Promise<void> } {
  const thread = new ThreadClient<PdfRequest, Uint8Array>(new URL('./pdfWorker.ts', import.meta.url), null, { endWhenIdleMs: IDLE_THREAD_MS });
  return {
    render: async (review, options) => {
      const pdf = await thread.request({ review, options });
      return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    },
    close: () => thread.close(),
  };
}

/** Worker thread entry: lays out PDF exports (see exportPdf.ts) off the event loop. */
import { runInBackground, serveThread } from '../threads/serveThread';
import { exportPdf } from './exportPdf';
import type { PdfRequest } from './threadedPdf';

runInBackground();
serveThread<PdfRequest, Uint8Array>(({ review, options }) => exportPdf(review, options));

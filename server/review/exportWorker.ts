/** Worker thread entry: makes Markdown and PDF exports (exportMarkdown.ts, exportPdf.ts) off the event loop. */
import { runInBackground, serveThread } from '../threads/serveThread';
import { exportMarkdown } from './exportMarkdown';
import { exportPdf } from './exportPdf';
import type { ExportRequest } from './threadedExport';

runInBackground();
serveThread<ExportRequest, Uint8Array>(async ({ review, options, format }) =>
  format === 'markdown' ? new TextEncoder().encode(exportMarkdown(review, options)) : exportPdf(review, options),
);

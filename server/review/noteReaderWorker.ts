/** Worker thread entry: builds stored notes and reads them (noteReadings.ts) off the event loop. */
import { runInBackground, serveThread } from '../threads/serveThread';
import { runReading, type NoteReadingRequest } from './noteReadings';

runInBackground();
serveThread<NoteReadingRequest, unknown>(runReading);

import { createClinic, type Clinic } from './api';
import { startTestServer, type TestServer } from './startTestServer';

/**
 * The usual start of a test file: a real in-process server on port 0 (closed after the file's
 * tests) with a clinic on it — admin, clinicians A and B, a supervisor and an outsider, each
 * logged in. `opts` go to startTestServer (environment, data dir, store decorator).
 */
export async function startClinic(opts: Parameters<typeof startTestServer>[0] = {}): Promise<{ server: TestServer; clinic: Clinic }> {
  const server = await startTestServer(opts);
  return { server, clinic: await createClinic(server.baseUrl) };
}

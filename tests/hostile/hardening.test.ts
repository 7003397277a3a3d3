import { describe, expect, it } from 'vitest';
import { createClinic } from '../helpers/api';
import { startServerProcess, tempDir } from '../helpers/startTestServer';

describe('badly percent-encoded addresses', () => {
  it('are answered 400, not 500, and leave no error in the log', async () => {
    const server = await startServerProcess({ dataDir: tempDir() });
    const clinic = await createClinic(server.baseUrl);
    for (const path of ['/api/sessions/%ZZ', '/api/sessions/%E0%A4%A', '/api/sessions/%ZZ/review', '/api/users/%/logins']) {
      const res = await clinic.a.api.get<{ error: { code: string } }>(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('invalid_path');
    }
    await server.kill('SIGTERM');
    const log = server.output.join('\n');
    expect(log).not.toContain('"level":"error"');
    expect(log).not.toContain('URIError');
  });
});

/**
 * The HTTP calls a real deployment's users make, done by the harness so tandem runs with every
 * protection on: admin setup, accounts, logins (cookie `tandem_session`), sessions, members.
 */
const PASSWORD = 'bench-password-123';

export interface TandemLogin {
  accountId: string;
  cookie: string;
}

/** The three people of every benchmark session: two co-therapists and a supervisor (read-only). */
export interface TandemCast {
  writerA: TandemLogin;
  writerB: TandemLogin;
  reader: TandemLogin;
}

export class TandemApi {
  readonly origin: string;

  constructor(readonly port: number) {
    this.origin = `http://127.0.0.1:${port}`;
  }

  /** Creates the admin and the cast, and logs each in (once per server data directory). */
  async createCast(): Promise<TandemCast> {
    const admin = await this.post('/api/setup', { email: 'admin@bench.test', name: 'Bench Admin', password: PASSWORD }, null);
    const adminCookie = sessionCookie(admin.res);
    const makeUser = async (email: string, name: string, role: 'clinician' | 'supervisor'): Promise<TandemLogin> => {
      const created = await this.post('/api/users', { email, name, password: PASSWORD, role }, adminCookie);
      const id = (created.body as { id: string }).id;
      const login = await this.post('/api/auth/login', { email, password: PASSWORD }, null);
      return { accountId: id, cookie: sessionCookie(login.res) };
    };
    return {
      writerA: await makeUser('ana@bench.test', 'Ana Writer', 'clinician'),
      writerB: await makeUser('ben@bench.test', 'Ben Writer', 'clinician'),
      reader: await makeUser('sam@bench.test', 'Sam Reader', 'supervisor'),
    };
  }

  /** A group session owned by writer A, with writer B as co-therapist and the reader as supervisor. */
  async createSession(cast: TandemCast, title: string): Promise<string> {
    const created = await this.post('/api/sessions', { title, kind: 'group' }, cast.writerA.cookie);
    const id = (created.body as { id: string }).id;
    await this.post(`/api/sessions/${id}/members`, { userId: cast.writerB.accountId, role: 'therapist' }, cast.writerA.cookie);
    await this.post(`/api/sessions/${id}/members`, { userId: cast.reader.accountId, role: 'supervisor' }, cast.writerA.cookie);
    return id;
  }

  private async post(path: string, body: unknown, cookie: string | null): Promise<{ res: Response; body: unknown }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Origin: this.origin };
    if (cookie) headers.Cookie = cookie;
    const res = await fetch(this.origin + path, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`tandem ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return { res, body: text ? (JSON.parse(text) as unknown) : null };
  }
}

function sessionCookie(res: Response): string {
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(';', 1)[0] ?? '';
    if (pair.startsWith('tandem_session=')) return pair;
  }
  throw new Error('tandem did not set the tandem_session cookie');
}

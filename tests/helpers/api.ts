import type { AccountRole, MemberRole } from '../../shared/domain/roles';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A logged-in (or anonymous) HTTP client for one server, keeping its session cookie. */
export class ApiClient {
  cookie: string | null = null;

  constructor(readonly baseUrl: string) {}

  get origin(): string {
    return new URL(this.baseUrl).origin;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        origin: this.origin,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';', 1)[0]!;
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const text = await res.text();
    const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
    return { status: res.status, body: (isJson && text ? JSON.parse(text) : text || null) as T, headers: res.headers };
  }

  get<T = unknown>(path: string) { return this.request<T>('GET', path); }
  post<T = unknown>(path: string, body: unknown = {}) { return this.request<T>('POST', path, body); }
  patch<T = unknown>(path: string, body: unknown) { return this.request<T>('PATCH', path, body); }
  delete<T = unknown>(path: string) { return this.request<T>('DELETE', path); }
}

/** The body of a response that must have `status` (throws naming `what` otherwise). */
export async function expectStatus<T>(p: Promise<ApiResponse<T>>, status: number, what: string): Promise<T> {
  const res = await p;
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface Person {
  id: string;
  name: string;
  email: string;
  password: string;
  api: ApiClient;
}

/** A clinic: an admin, two clinicians (A and B), a supervisor and an outsider clinician. */
export interface Clinic {
  admin: Person;
  a: Person;
  b: Person;
  supervisor: Person;
  outsider: Person;
}

let counter = 0;

export async function createPerson(admin: ApiClient, role: AccountRole, name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${process.pid}.${++counter}@clinic.test`;
  const password = 'correct horse battery';
  const { id } = await expectStatus(admin.post<{ id: string }>('/api/users', { email, name, password, role }), 201, `create ${name}`);
  const api = new ApiClient(admin.baseUrl);
  await expectStatus(api.post('/api/auth/login', { email, password }), 200, `login ${name}`);
  return { id, name, email, password, api };
}

/** Sets up the first admin (or logs in if the server already has one, from an earlier test). */
export async function createClinic(baseUrl: string): Promise<Clinic> {
  const adminApi = new ApiClient(baseUrl);
  const email = 'admin@clinic.test';
  const password = 'admin password 1';
  const setup = await adminApi.post<{ user: { id: string } }>('/api/setup', { email, name: 'Ada Admin', password });
  if (setup.status === 409) await expectStatus(adminApi.post('/api/auth/login', { email, password }), 200, 'admin login');
  else if (setup.status !== 201) throw new Error(`setup failed: ${setup.status}`);
  const me = await expectStatus(adminApi.get<{ id: string }>('/api/me'), 200, 'me');
  return {
    admin: { id: me.id, name: 'Ada Admin', email, password, api: adminApi },
    a: await createPerson(adminApi, 'clinician', 'Alex Therapist'),
    b: await createPerson(adminApi, 'clinician', 'Blair Therapist'),
    supervisor: await createPerson(adminApi, 'supervisor', 'Sam Supervisor'),
    outsider: await createPerson(adminApi, 'clinician', 'Olu Outsider'),
  };
}

/** A session created by A, with B as co-therapist and the supervisor as reviewer. */
export async function createSession(clinic: Clinic, kind: 'group' | 'individual' = 'group'): Promise<string> {
  const { id } = await expectStatus(clinic.a.api.post<{ id: string }>('/api/sessions', { title: 'Tuesday group', kind }), 201, 'create session');
  const add = (userId: string, role: MemberRole) => expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId, role }), 201, 'add member');
  await add(clinic.b.id, 'therapist');
  await add(clinic.supervisor.id, 'supervisor');
  return id;
}

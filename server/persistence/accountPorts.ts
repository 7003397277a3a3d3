import type { AccountRole } from '../../shared/domain/roles';

/* Accounts and their logins. */

export interface AccountRecord {
  id: string;
  email: string;
  name: string;
  role: AccountRole;
  passwordHash: string;
  active: boolean;
  createdAt: number;
}

/** What an account update may change. */
export type AccountPatch = Partial<Pick<AccountRecord, 'name' | 'role' | 'active' | 'passwordHash'>>;

export interface AccountStore {
  count(): Promise<number>;
  create(account: AccountRecord): Promise<void>;
  byId(id: string): Promise<AccountRecord | null>;
  byEmail(email: string): Promise<AccountRecord | null>;
  list(): Promise<AccountRecord[]>;
  update(id: string, patch: AccountPatch): Promise<void>;
}

export interface LoginRecord {
  /** SHA-256 of the cookie token: a stolen database does not yield usable cookies. */
  tokenHash: string;
  accountId: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface LoginStore {
  get(tokenHash: string): Promise<LoginRecord | null>;
  touch(tokenHash: string, at: number): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  /** Deletes the account's logins, except the one `exceptTokenHash` names; returns how many. */
  deleteForAccount(accountId: string, exceptTokenHash?: string): Promise<number>;
  /** Removes logins idle since before `idleBefore` or created before `createdBefore`. */
  purge(idleBefore: number, createdBefore: number): Promise<number>;
}

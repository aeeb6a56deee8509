/** The key under which body mode keeps the session JWT. */
export const ID_TOKEN_KEY = 'id_token';
/**
 * The key under which body mode keeps the token's type when it is not `Bearer`: `DPoP` for a
 * token bound to this browser's key (sent as `Authorization: DPoP` with a proof).
 */
export const TOKEN_TYPE_KEY = 'token_type';
/** The key under which the session's end is kept (epoch milliseconds, as a string). */
export const EXPIRES_AT_KEY = 'expires_at';

/**
 * Where the session is kept: `localStorage`, `sessionStorage`, a map in memory or anything of
 * the same shape (the subset of the Web Storage API that Latchkey uses).
 */
export interface LatchkeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The choice of storage in `provideLatchkey({ storage })`:
 *
 * - `'local'` (default): `localStorage`; the session outlives the tab and is shared by every
 *   tab of the origin.
 * - `'session'`: `sessionStorage`; the session ends with the tab.
 * - `'memory'`: nothing written to the browser; the session ends with the page (a reload logs
 *   out).
 * - an object implementing {@link LatchkeyStorage}.
 */
export type LatchkeyStorageChoice = 'local' | 'session' | 'memory' | LatchkeyStorage;

/** Keeps the session in a map: it lasts as long as the page. */
export class MemoryStorage implements LatchkeyStorage {
  private readonly entries = new Map<string, string>();

  getItem(key: string): string | null {
    return this.entries.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.entries.set(key, String(value));
  }

  removeItem(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * The storage for a choice. The browser's storages fall back to memory where the browser
 * refuses them (privacy modes, sandboxed frames, server-side rendering).
 */
export function resolveStorage(choice: LatchkeyStorageChoice | undefined): LatchkeyStorage {
  if (typeof choice === 'object' && choice !== null) {
    return choice;
  }
  if (choice === 'memory') {
    return new MemoryStorage();
  }
  try {
    const storage = choice === 'session' ? globalThis.sessionStorage : globalThis.localStorage;
    if (storage !== undefined && storage !== null) {
      return storage;
    }
  } catch {
    // access denied: fall through
  }
  return new MemoryStorage();
}

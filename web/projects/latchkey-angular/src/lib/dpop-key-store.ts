/** The IndexedDB database, object store and entry that hold the DPoP key pair. */
export const DPOP_DATABASE = 'latchkey-dpop';
export const DPOP_STORE = 'keys';
export const DPOP_KEY_ID = 'session';

/**
 * Keeps the DPoP key pair in IndexedDB, where a `CryptoKey` is stored as the browser's own
 * object: a non-extractable private key stays non-extractable, and survives a reload without the
 * script ever seeing its bytes. Where IndexedDB is missing or refused (some privacy modes,
 * server-side rendering) the pair lives in memory only: a reload then leaves the stored token
 * without its key, and the next request ends the session.
 */
export class DpopKeyStore {
  private database: Promise<IDBDatabase | null> | null = null;
  private memory: CryptoKeyPair | null = null;
  /** Every operation waits for the one before: a logout's delete never overtakes a login's put. */
  private queue: Promise<unknown> = Promise.resolve();

  load(): Promise<CryptoKeyPair | null> {
    return this.enqueue(async () => {
      const db = await this.open();
      if (db === null) {
        return this.memory;
      }
      const stored = await request<unknown>(db, 'readonly', (store) => store.get(DPOP_KEY_ID));
      return isKeyPair(stored) ? stored : null;
    });
  }

  save(pair: CryptoKeyPair): Promise<void> {
    return this.enqueue(async () => {
      const db = await this.open();
      if (db === null) {
        this.memory = pair;
        return;
      }
      await request(db, 'readwrite', (store) =>
        store.put({ privateKey: pair.privateKey, publicKey: pair.publicKey }, DPOP_KEY_ID),
      );
    });
  }

  delete(): Promise<void> {
    return this.enqueue(async () => {
      this.memory = null;
      const db = await this.open();
      if (db !== null) {
        await request(db, 'readwrite', (store) => store.delete(DPOP_KEY_ID));
      }
    });
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private open(): Promise<IDBDatabase | null> {
    if (this.database === null) {
      this.database = new Promise<IDBDatabase | null>((resolve) => {
        let opening: IDBOpenDBRequest;
        try {
          opening = globalThis.indexedDB.open(DPOP_DATABASE, 1);
        } catch {
          resolve(null); // no IndexedDB here, or access denied
          return;
        }
        opening.onupgradeneeded = () => opening.result.createObjectStore(DPOP_STORE);
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = () => resolve(null);
        opening.onblocked = () => resolve(null);
      });
    }
    return this.database;
  }
}

function request<T>(
  db: IDBDatabase,
  mode: IDBTransactionMode,
  operation: (store: IDBObjectStore) => IDBRequest,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const transaction = db.transaction(DPOP_STORE, mode);
    const pending = operation(transaction.objectStore(DPOP_STORE));
    transaction.oncomplete = () => resolve(pending.result as T);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

function isKeyPair(value: unknown): value is CryptoKeyPair {
  const pair = value as Partial<CryptoKeyPair> | null | undefined;
  return (
    typeof pair === 'object' &&
    pair !== null &&
    typeof pair.privateKey === 'object' &&
    typeof pair.publicKey === 'object'
  );
}

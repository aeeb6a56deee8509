import { IDBFactory } from 'fake-indexeddb';

/**
 * What the DPoP tests share: a fresh IndexedDB (fake-indexeddb, since jsdom has none) for each
 * test, and a reader of proofs that checks their signatures with WebCrypto.
 */

/** Gives the test an empty IndexedDB of its own. */
export function freshIndexedDb(): void {
  globalThis.indexedDB = new IDBFactory();
}

/** A proof's parts, once its ES256 signature has been checked against its own `jwk` header. */
export interface ReadProof {
  readonly header: { typ: string; alg: string; jwk: JsonWebKey } & Record<string, unknown>;
  readonly claims: Record<string, unknown>;
}

function decode(part: string): Record<string, unknown> {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')));
}

function bytes(part: string): Uint8Array<ArrayBuffer> {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Reads a proof; fails unless its signature verifies with the public key it carries. */
export async function readProof(proof: string | null): Promise<ReadProof> {
  if (proof === null) {
    throw new Error('no DPoP proof on the request');
  }
  const [header, claims, signature] = proof.split('.');
  const read = { header: decode(header), claims: decode(claims) } as unknown as ReadProof;
  const key = await crypto.subtle.importKey(
    'jwk',
    read.header.jwk,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const valid = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    bytes(signature),
    new TextEncoder().encode(`${header}.${claims}`),
  );
  if (!valid) {
    throw new Error('the DPoP proof signature does not verify with its jwk');
  }
  return read;
}

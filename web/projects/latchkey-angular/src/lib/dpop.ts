import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { Injectable } from '@angular/core';

import { DpopKeyStore } from './dpop-key-store';

/** The request header that carries a proof (RFC 9449 §4.1). */
export const DPOP_HEADER = 'DPoP';
/** The response header with the server's nonce (RFC 9449 §8). */
export const DPOP_NONCE_HEADER = 'DPoP-Nonce';
/** The token type of a bound token, and the `Authorization` scheme it is sent with. */
export const DPOP_TOKEN_TYPE = 'DPoP';

const KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNATURE_ALGORITHM: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** A key pair and the public half as a proof's `jwk` header carries it. */
interface ProofKey {
  readonly pair: CryptoKeyPair;
  readonly jwk: JsonWebKey;
}

/** What a proof is made for. */
export interface ProofRequest {
  readonly method: string;
  /** The absolute request URL; its query and fragment are left out of `htu`. */
  readonly url: string;
  /** The token sent with the request (`Authorization: DPoP`), hashed into `ath`. */
  readonly accessToken?: string | null;
  /** The key to sign with instead of the current one (a logout's, dropped meanwhile). */
  readonly key?: Promise<CryptoKeyPair | null> | null;
}

/**
 * The browser's DPoP key and its proofs (RFC 9449). The key pair is ECDSA P-256, made by
 * WebCrypto with `extractable: false`: the script can sign with the private key but never read
 * it, and it is kept in IndexedDB ({@link DpopKeyStore}), so it survives a reload. Each proof is
 * an ES256 JWT (`typ: dpop+jwt`, the public key in `jwk`) for one method and URL, with a random
 * `jti`, `iat`, the token's hash `ath` when one is sent and the server's latest nonce for that
 * origin when it gave one.
 */
@Injectable({ providedIn: 'root' })
export class DpopProofs {
  private readonly store = new DpopKeyStore();
  private current: Promise<ProofKey> | null = null;
  private readonly nonces = new Map<string, string>();

  /** The key pair in use: the stored one, or a new one (stored) when there is none. */
  keyPair(): Promise<CryptoKeyPair> {
    return this.proofKey().then((key) => key.pair);
  }

  /** The key pair in use, or null when there is none (none is made). */
  existingKeyPair(): Promise<CryptoKeyPair | null> {
    return this.current !== null
      ? this.current.then((key) => key.pair)
      : this.store.load().catch(() => null);
  }

  /** A fresh proof for this request. */
  async proof(request: ProofRequest): Promise<string> {
    const key = request.key ? await request.key.then(heldKey) : await this.proofKey();
    const target = new URL(request.url);
    const claims: Record<string, unknown> = {
      jti: randomId(),
      htm: request.method,
      htu: `${target.origin}${target.pathname}`,
      iat: Math.floor(Date.now() / 1000),
    };
    if (request.accessToken) {
      claims['ath'] = base64url(await sha256(request.accessToken));
    }
    const nonce = this.nonces.get(target.origin);
    if (nonce !== undefined) {
      claims['nonce'] = nonce;
    }
    const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk };
    const input = `${base64url(json(header))}.${base64url(json(claims))}`;
    const signature = await crypto.subtle.sign(
      SIGNATURE_ALGORITHM,
      key.pair.privateKey,
      new TextEncoder().encode(input),
    );
    return `${input}.${base64url(signature)}`;
  }

  /**
   * Keeps the nonce a response of this URL's origin carries (`DPoP-Nonce`), for the next proofs
   * to that origin. Returns whether it is a nonce not held before (worth a retry).
   */
  noteNonce(url: string, headers: HttpHeaders | null | undefined): boolean {
    const nonce = headers?.get(DPOP_NONCE_HEADER);
    if (!nonce) {
      return false;
    }
    const origin = new URL(url).origin;
    const fresh = this.nonces.get(origin) !== nonce;
    this.nonces.set(origin, nonce);
    return fresh;
  }

  /**
   * Deletes the key pair (logout): from IndexedDB and from memory. A proof made with it after
   * this (the logout's own) must be given {@link existingKeyPair}'s promise, taken before.
   */
  forget(): Promise<void> {
    this.current = null;
    return this.store.delete();
  }

  /** Forgets the pair held in memory only: another tab logged out (and deleted it). */
  reload(): void {
    this.current = null;
  }

  private proofKey(): Promise<ProofKey> {
    if (this.current === null) {
      const loading = this.loadOrCreate();
      this.current = loading;
      loading.catch(() => {
        if (this.current === loading) {
          this.current = null; // try again with the next request
        }
      });
    }
    return this.current;
  }

  private async loadOrCreate(): Promise<ProofKey> {
    if (globalThis.crypto?.subtle === undefined) {
      throw new Error('Latchkey: DPoP needs WebCrypto, which browsers give secure contexts only');
    }
    const stored = await this.store.load();
    if (stored !== null) {
      return withJwk(stored);
    }
    const pair = (await crypto.subtle.generateKey(KEY_ALGORITHM, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    await this.store.save(pair);
    return withJwk(pair);
  }
}

/**
 * Whether a refusal asks for a proof with the server's nonce (RFC 9449 §8): `400` or `401` with
 * `use_dpop_nonce` as the JSON `error` or in the `WWW-Authenticate` challenge.
 */
export function isNonceChallenge(error: unknown): error is HttpErrorResponse {
  if (!(error instanceof HttpErrorResponse) || (error.status !== 400 && error.status !== 401)) {
    return false;
  }
  const body = error.error as { error?: unknown } | null;
  if (typeof body === 'object' && body !== null && body.error === 'use_dpop_nonce') {
    return true;
  }
  return /error="?use_dpop_nonce"?/.test(error.headers?.get('WWW-Authenticate') ?? '');
}

async function heldKey(pair: CryptoKeyPair | null): Promise<ProofKey> {
  if (pair === null) {
    throw new Error('Latchkey: there is no DPoP key to sign this request with');
  }
  return withJwk(pair);
}

/** The public key's members that a `jwk` header carries (no `key_ops`, `ext`). */
async function withJwk(pair: CryptoKeyPair): Promise<ProofKey> {
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { pair, jwk: { kty, crv, x, y } };
}

async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function randomId(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** base64url without padding (RFC 7515 §2). */
export function base64url(data: ArrayBuffer | Uint8Array): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let binary = '';
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

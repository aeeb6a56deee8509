import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';

import { DpopProofs, isNonceChallenge } from './dpop';
import { DPOP_DATABASE, DpopKeyStore } from './dpop-key-store';
import { freshIndexedDb, readProof } from './testing/dpop-kit';

const NOW = new Date('2026-03-01T10:00:00Z').getTime();
const API = 'http://localhost:8080';

/** RFC 9449 §7.1's example: this access token's `ath`. */
const RFC_TOKEN = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU';
const RFC_ATH = 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo';

describe('DpopProofs', () => {
  beforeEach(() => {
    freshIndexedDb();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  afterEach(() => vi.useRealTimers());

  it('makes an ECDSA P-256 key pair whose private key cannot be exported', async () => {
    const pair = await new DpopProofs().keyPair();

    expect(pair.privateKey.extractable).toBe(false);
    expect(pair.privateKey.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
    await expect(crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('pkcs8', pair.privateKey)).rejects.toThrow();
  });

  it('signs an ES256 dpop+jwt with the public key (and nothing private) in its jwk header', async () => {
    const proofs = new DpopProofs();
    const pair = await proofs.keyPair();

    const { header, claims } = await readProof(
      await proofs.proof({ method: 'GET', url: `${API}/api/lessons?page=2#top` }),
    );

    expect(header.typ).toBe('dpop+jwt');
    expect(header.alg).toBe('ES256');
    const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    expect(header.jwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: publicJwk.x,
      y: publicJwk.y,
    });
    expect(claims['htm']).toBe('GET');
    expect(claims['htu']).toBe(`${API}/api/lessons`); // no query, no fragment
    expect(claims['iat']).toBe(NOW / 1000);
    expect(claims).not.toHaveProperty('ath');
    expect(claims).not.toHaveProperty('nonce');
  });

  it('gives every proof its own random jti', async () => {
    const proofs = new DpopProofs();
    const request = { method: 'POST', url: `${API}/api/login` };
    const jtis = new Set<unknown>();
    for (let i = 0; i < 20; i++) {
      jtis.add((await readProof(await proofs.proof(request))).claims['jti']);
    }
    expect(jtis.size).toBe(20);
    for (const jti of jtis) {
      expect(jti).toMatch(/^[A-Za-z0-9_-]{22}$/); // 16 random bytes, base64url
    }
  });

  it("hashes the token into ath as RFC 9449's example does", async () => {
    const { claims } = await readProof(
      await new DpopProofs().proof({
        method: 'GET',
        url: `${API}/api/lessons`,
        accessToken: RFC_TOKEN,
      }),
    );
    expect(claims['ath']).toBe(RFC_ATH);
  });

  it('keeps the key pair in IndexedDB: the next page load signs with the same key', async () => {
    const first = await new DpopProofs().keyPair();
    const firstJwk = await crypto.subtle.exportKey('jwk', first.publicKey);

    const reloaded = new DpopProofs(); // a new page: nothing in memory
    const { header } = await readProof(
      await reloaded.proof({ method: 'GET', url: `${API}/api/lessons` }),
    );

    expect(header.jwk.x).toBe(firstJwk.x);
    expect(header.jwk.y).toBe(firstJwk.y);
    const stored = await new DpopKeyStore().load();
    expect(stored?.privateKey.extractable).toBe(false);
  });

  it('forget() deletes the key: the next one is new', async () => {
    const proofs = new DpopProofs();
    const before = await crypto.subtle.exportKey('jwk', (await proofs.keyPair()).publicKey);

    await proofs.forget();

    expect(await new DpopKeyStore().load()).toBeNull();
    const after = await crypto.subtle.exportKey('jwk', (await proofs.keyPair()).publicKey);
    expect(after.x).not.toBe(before.x);
  });

  it('signs with a key taken before forget() (the logout proof)', async () => {
    const proofs = new DpopProofs();
    const old = await crypto.subtle.exportKey('jwk', (await proofs.keyPair()).publicKey);

    const held = proofs.existingKeyPair();
    await proofs.forget();
    const { header } = await readProof(
      await proofs.proof({ method: 'POST', url: `${API}/api/logout`, key: held }),
    );

    expect(header.jwk.x).toBe(old.x);
    expect(await new DpopKeyStore().load()).toBeNull();
  });

  it('makes no key to look for one: existingKeyPair() is null without a stored key', async () => {
    const proofs = new DpopProofs();
    expect(await proofs.existingKeyPair()).toBeNull();
    await expect(
      proofs.proof({ method: 'POST', url: `${API}/api/logout`, key: proofs.existingKeyPair() }),
    ).rejects.toThrow(/no DPoP key/);
    expect(await new DpopKeyStore().load()).toBeNull();
  });

  it("puts the origin's latest nonce in its proofs, and only in that origin's", async () => {
    const proofs = new DpopProofs();

    expect(proofs.noteNonce(`${API}/x`, new HttpHeaders({ 'DPoP-Nonce': 'n1' }))).toBe(true);
    expect(proofs.noteNonce(`${API}/y`, new HttpHeaders({ 'DPoP-Nonce': 'n1' }))).toBe(false);
    expect(proofs.noteNonce(`${API}/y`, new HttpHeaders())).toBe(false);

    const here = await readProof(await proofs.proof({ method: 'GET', url: `${API}/api/lessons` }));
    const elsewhere = await readProof(
      await proofs.proof({ method: 'POST', url: 'http://localhost:9000/api/login' }),
    );
    expect(here.claims['nonce']).toBe('n1');
    expect(elsewhere.claims).not.toHaveProperty('nonce');

    expect(proofs.noteNonce(`${API}/x`, new HttpHeaders({ 'DPoP-Nonce': 'n2' }))).toBe(true);
    const later = await readProof(await proofs.proof({ method: 'GET', url: `${API}/api/lessons` }));
    expect(later.claims['nonce']).toBe('n2');
  });

  it('keeps the pair in memory where IndexedDB is missing (it then ends with the page)', async () => {
    const saved = globalThis.indexedDB;
    (globalThis as { indexedDB?: IDBFactory }).indexedDB = undefined;
    try {
      const proofs = new DpopProofs();
      const pair = await proofs.keyPair();
      expect(await proofs.keyPair()).toBe(pair);
      expect(await new DpopKeyStore().load()).toBeNull(); // another page would not have it
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('stores the pair under its own database name', async () => {
    await new DpopProofs().keyPair();
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).toEqual([DPOP_DATABASE]);
  });
});

describe('isNonceChallenge', () => {
  const refusal = (status: number, error: unknown, challenge?: string) =>
    new HttpErrorResponse({
      status,
      error,
      headers: new HttpHeaders(challenge ? { 'WWW-Authenticate': challenge } : {}),
    });

  it('is a 400 or 401 asking for use_dpop_nonce, in the body or the challenge', () => {
    expect(isNonceChallenge(refusal(400, { error: 'use_dpop_nonce' }))).toBe(true);
    expect(isNonceChallenge(refusal(401, { error: 'use_dpop_nonce' }))).toBe(true);
    expect(isNonceChallenge(refusal(401, null, 'DPoP error="use_dpop_nonce", algs="ES256"'))).toBe(
      true,
    );
  });

  it('is nothing else', () => {
    expect(isNonceChallenge(refusal(401, { error: 'invalid_dpop_proof' }))).toBe(false);
    expect(isNonceChallenge(refusal(401, null, 'DPoP error="invalid_token"'))).toBe(false);
    expect(isNonceChallenge(refusal(403, { error: 'use_dpop_nonce' }))).toBe(false);
    expect(isNonceChallenge(new Error('use_dpop_nonce'))).toBe(false);
  });
});

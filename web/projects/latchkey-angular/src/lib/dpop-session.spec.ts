import { HttpClient } from '@angular/common/http';
import { TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { AccountService } from './account.service';
import { DpopKeyStore } from './dpop-key-store';
import { normalizeOptions } from './options';
import { TOKEN_TYPE_KEY } from './storage';
import { freshIndexedDb, readProof } from './testing/dpop-kit';
import { API_ORIGIN, AUTH_URL, setUpApp } from './testing/test-setup';

const NOW = new Date('2026-03-01T10:00:00Z').getTime();
const LESSONS = `${API_ORIGIN}/api/lessons`;
const BOUND = { idToken: 'bound.jwt', expiresIn: 3600, tokenType: 'DPoP' };

/** base64url(SHA-256("bound.jwt")), computed apart from the library. */
async function athOf(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function dpopApp(options = {}) {
  const app = setUpApp({ dpop: true, ...options }, [
    { path: 'lessons', children: [] },
    { path: 'login', children: [] },
  ]);
  return { ...app, client: TestBed.inject(HttpClient) };
}

/** The request once the interceptor has signed it (proofs are made asynchronously). */
function signed(http: ReturnType<typeof dpopApp>['http'], url: string): Promise<TestRequest> {
  return vi.waitFor(() => http.expectOne(url));
}

const proofOf = (req: TestRequest) => readProof(req.request.headers.get('DPoP'));

describe('the dpop option', () => {
  beforeEach(() => {
    localStorage.clear();
    freshIndexedDb();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  afterEach(() => {
    vi.useRealTimers();
    localStorage.clear();
  });

  it('is on in body mode only', () => {
    expect(normalizeOptions({ authUrl: '', dpop: true }).dpop).toBe(true);
    expect(normalizeOptions({ authUrl: '', dpop: true, delivery: 'cookie' }).dpop).toBe(false);
    expect(normalizeOptions({ authUrl: '' }).dpop).toBe(false);
  });

  it('login carries a proof for POST {authUrl}/api/login and keeps the token type', async () => {
    const { auth, http } = dpopApp();
    let answered = false;
    auth.login('a@b.c', 'pw').subscribe(() => (answered = true));

    const req = await signed(http, `${AUTH_URL}/api/login`);
    const { claims } = await proofOf(req);
    expect(claims['htm']).toBe('POST');
    expect(claims['htu']).toBe(`${AUTH_URL}/api/login`);
    expect(claims).not.toHaveProperty('ath');
    req.flush(BOUND);

    expect(answered).toBe(true);
    expect(localStorage.getItem(TOKEN_TYPE_KEY)).toBe('DPoP');
    expect(auth.getAuthorization()).toBe('DPoP bound.jwt');
  });

  it('sends a bound token as DPoP with a proof for this request and token', async () => {
    const { auth, client, http } = dpopApp();
    auth.setSession(BOUND);

    client.get(`${LESSONS}?page=2`).subscribe();

    const req = await signed(http, `${LESSONS}?page=2`);
    expect(req.request.headers.get('Authorization')).toBe('DPoP bound.jwt');
    const { claims } = await proofOf(req);
    expect(claims).toMatchObject({ htm: 'GET', htu: LESSONS, ath: await athOf('bound.jwt') });
  });

  it('signs every API request afresh (a new jti), a retried one too', async () => {
    const { auth, client, http } = dpopApp();
    auth.setSession(BOUND);
    client.get(LESSONS).subscribe();

    const first = await signed(http, LESSONS);
    const firstJti = (await proofOf(first)).claims['jti'];
    first.flush(
      { error: 'keys_unavailable' },
      { status: 503, statusText: 'Unavailable', headers: { 'Retry-After': '0' } },
    );
    const retried = await signed(http, LESSONS);

    expect((await proofOf(retried)).claims['jti']).not.toBe(firstJti);
  });

  it('sends a token the auth server left unbound as Bearer, without a proof', async () => {
    const { auth, client, http } = dpopApp();
    auth.setSession({ idToken: 'plain.jwt', expiresIn: 3600 }); // no tokenType: Bearer

    client.get(LESSONS).subscribe();

    const req = http.expectOne(LESSONS);
    expect(req.request.headers.get('Authorization')).toBe('Bearer plain.jwt');
    expect(req.request.headers.has('DPoP')).toBe(false);
    expect(localStorage.getItem(TOKEN_TYPE_KEY)).toBeNull();
  });

  it.each(['https://evil.example/x', 'http://localhost:8081/x'])(
    'sends neither token nor proof to %s',
    async (url) => {
      const { auth, client, http } = dpopApp();
      auth.setSession(BOUND);
      client.get(url).subscribe();
      const req = http.expectOne(url);
      expect(req.request.headers.has('Authorization')).toBe(false);
      expect(req.request.headers.has('DPoP')).toBe(false);
    },
  );

  it('retries once with the nonce an API asked for, and keeps the session', async () => {
    const { auth, client, http } = dpopApp();
    auth.setSession(BOUND);
    let body: unknown = null;
    client.get(LESSONS).subscribe((b) => (body = b));

    (await signed(http, LESSONS)).flush(
      { error: 'use_dpop_nonce' },
      {
        status: 401,
        statusText: 'Unauthorized',
        headers: {
          'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"',
          'DPoP-Nonce': 'nonce-1',
        },
      },
    );
    const retried = await signed(http, LESSONS);
    expect((await proofOf(retried)).claims['nonce']).toBe('nonce-1');
    retried.flush([{ id: 1 }]);

    expect(body).toEqual([{ id: 1 }]);
    expect(auth.loggedIn()).toBe(true);
    client.get(LESSONS).subscribe(); // the next proof carries it from the start
    expect((await proofOf(await signed(http, LESSONS))).claims['nonce']).toBe('nonce-1');
  });

  it('keeps a nonce a successful answer carries', async () => {
    const { auth, client, http } = dpopApp();
    auth.setSession(BOUND);
    client.get(LESSONS).subscribe();
    (await signed(http, LESSONS)).flush([], { headers: { 'DPoP-Nonce': 'nonce-2' } });

    client.get(LESSONS).subscribe();
    expect((await proofOf(await signed(http, LESSONS))).claims['nonce']).toBe('nonce-2');
  });

  it('retries a login refused 400 use_dpop_nonce once, with the nonce', async () => {
    const { auth, http } = dpopApp();
    let status = 0;
    auth.login('a@b.c', 'pw').subscribe({ error: (e) => (status = e.status) });
    const nonceRefusal = (nonce: string) => ({
      status: 400,
      statusText: 'Bad Request',
      headers: { 'DPoP-Nonce': nonce },
    });

    (await signed(http, `${AUTH_URL}/api/login`)).flush(
      { error: 'use_dpop_nonce' },
      nonceRefusal('n-a'),
    );
    const retried = await signed(http, `${AUTH_URL}/api/login`);
    expect((await proofOf(retried)).claims['nonce']).toBe('n-a');
    retried.flush({ error: 'use_dpop_nonce' }, nonceRefusal('n-b'));

    await vi.waitFor(() => expect(status).toBe(400)); // once only: the caller sees the refusal
    http.verify();
    expect(auth.loggedIn()).toBe(false);
  });

  it('does not retry a use_dpop_nonce refusal that gives no nonce; the session ends', async () => {
    const { auth, client, http, router } = dpopApp();
    auth.setSession(BOUND);
    await router.navigateByUrl('/lessons');
    client.get(LESSONS).subscribe({ error: () => undefined });

    (await signed(http, LESSONS)).flush(
      { error: 'use_dpop_nonce' },
      { status: 401, statusText: 'Unauthorized' },
    );

    http.expectNone(LESSONS);
    expect(auth.loggedIn()).toBe(false);
  });

  it('a second API refusal for a nonce reaches the caller and ends the session', async () => {
    const { auth, client, http } = dpopApp();
    auth.setSession(BOUND);
    let status = 0;
    client.get(LESSONS).subscribe({ error: (e) => (status = e.status) });
    const refusal = (nonce: string) => ({
      status: 401,
      statusText: 'Unauthorized',
      headers: { 'DPoP-Nonce': nonce },
    });

    (await signed(http, LESSONS)).flush({ error: 'use_dpop_nonce' }, refusal('one'));
    (await signed(http, LESSONS)).flush({ error: 'use_dpop_nonce' }, refusal('two'));

    await vi.waitFor(() => expect(status).toBe(401));
    http.verify();
    expect(auth.loggedIn()).toBe(false);
  });

  it('the second step, refresh and the hosted-login session call carry proofs', async () => {
    const { auth, http } = dpopApp({ refresh: true });
    auth.login('a@b.c', 'pw').subscribe();
    (await signed(http, `${AUTH_URL}/api/login`)).flush({
      mfaRequired: true,
      mfaToken: 'step',
      methods: ['totp'],
    });

    auth.completeSecondFactor('123 456').subscribe();
    const step = await signed(http, `${AUTH_URL}/api/login/mfa`);
    expect((await proofOf(step)).claims['htu']).toBe(`${AUTH_URL}/api/login/mfa`);
    step.flush(BOUND);

    auth.refresh().subscribe();
    const refresh = await signed(http, `${AUTH_URL}/api/refresh`);
    expect((await proofOf(refresh)).claims).toMatchObject({
      htm: 'POST',
      htu: `${AUTH_URL}/api/refresh`,
    });
    refresh.flush(BOUND);

    auth.checkSession().subscribe();
    const session = await signed(http, `${AUTH_URL}/api/session`);
    expect((await proofOf(session)).claims['htm']).toBe('GET');
  });

  it('logout sends the bound token with a proof of the old key, then deletes the key', async () => {
    const { auth, http } = dpopApp();
    auth.login('a@b.c', 'pw').subscribe();
    const login = await signed(http, `${AUTH_URL}/api/login`);
    const loginKey = (await proofOf(login)).header.jwk;
    login.flush(BOUND);

    auth.logout();

    expect(auth.loggedIn()).toBe(false); // at once, before the server answers
    expect(localStorage.getItem(TOKEN_TYPE_KEY)).toBeNull();
    const logout = await signed(http, `${AUTH_URL}/api/logout`);
    expect(logout.request.headers.get('Authorization')).toBe('DPoP bound.jwt');
    const { header, claims } = await proofOf(logout);
    expect(header.jwk).toEqual(loginKey);
    expect(claims['ath']).toBe(await athOf('bound.jwt'));
    logout.flush({});
    expect(await new DpopKeyStore().load()).toBeNull();

    auth.login('a@b.c', 'pw').subscribe(); // the next session gets a new key
    const next = await signed(http, `${AUTH_URL}/api/login`);
    expect((await proofOf(next)).header.jwk.x).not.toBe(loginKey.x);
  });

  it('changing the password sends the bound token with a proof', async () => {
    const { auth, http } = dpopApp();
    auth.setSession(BOUND);

    TestBed.inject(AccountService).changePassword('old', 'new').subscribe();

    const req = await signed(http, `${AUTH_URL}/api/password`);
    expect(req.request.headers.get('Authorization')).toBe('DPoP bound.jwt');
    expect((await proofOf(req)).claims['ath']).toBe(await athOf('bound.jwt'));
  });

  it('without the option nothing is signed and no key is made', async () => {
    const { auth, client, http } = dpopApp({ dpop: false });
    auth.login('a@b.c', 'pw').subscribe();
    const login = http.expectOne(`${AUTH_URL}/api/login`);
    expect(login.request.headers.has('DPoP')).toBe(false);
    login.flush({ idToken: 'plain.jwt', expiresIn: 3600 });

    client.get(LESSONS).subscribe();
    expect(http.expectOne(LESSONS).request.headers.get('Authorization')).toBe('Bearer plain.jwt');
    expect(await new DpopKeyStore().load()).toBeNull();
  });

  it('in cookie mode keeps no token type and signs nothing', () => {
    const { auth, http } = dpopApp({ delivery: 'cookie' });
    auth.login('a@b.c', 'pw').subscribe();
    const login = http.expectOne(`${AUTH_URL}/api/login`);
    expect(login.request.headers.has('DPoP')).toBe(false);
    login.flush({ expiresIn: 3600, tokenType: 'DPoP' });
    expect(localStorage.getItem(TOKEN_TYPE_KEY)).toBeNull();
  });
});

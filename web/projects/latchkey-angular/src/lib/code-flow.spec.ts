import { TestBed } from '@angular/core/testing';
import {
  ActivatedRouteSnapshot,
  Router,
  RouterStateSnapshot,
  UrlTree,
  provideRouter,
} from '@angular/router';
import { Observable, firstValueFrom } from 'rxjs';

import { LATCHKEY_NAVIGATE, OIDC_ID_TOKEN_KEY, REFRESH_TOKEN_KEY, s256 } from './code-flow';
import { CodeFlowService } from './code-flow.service';
import { codeFlowCallbackGuard } from './guards';
import { LatchkeyConfig, LatchkeyOptions, normalizeOptions } from './options';
import { ID_TOKEN_KEY } from './storage';
import { AUTH_URL, TEST_OPTIONS, tokenWith } from './testing/test-setup';
import { configureTestBed } from './testing/test-kit';
import { provideLatchkey } from './provide';
import { AuthService } from './auth.service';

const CLIENT = 'spa';
const CODE_FLOW: LatchkeyOptions = { ...TEST_OPTIONS, codeFlow: { clientId: CLIENT } };

/** The app with the code flow on, the browser's navigations to the auth server recorded. */
function setUp(options: Partial<LatchkeyOptions> = {}) {
  const navigations: string[] = [];
  const app = configureTestBed(
    [
      provideLatchkey({ ...CODE_FLOW, ...options }),
      provideRouter([]),
      { provide: LATCHKEY_NAVIGATE, useValue: (url: string) => navigations.push(url) },
    ],
    AuthService,
    LatchkeyConfig,
  );
  return { ...app, flow: TestBed.inject(CodeFlowService), navigations };
}

/** Signs in up to the auth server's answer: the authorization request's parameters. */
async function signIn(flow: CodeFlowService, navigations: string[], returnUrl?: string) {
  await flow.signIn(returnUrl);
  const url = new URL(navigations[navigations.length - 1]);
  return { url, params: url.searchParams };
}

describe('the code flow (provideLatchkey({ codeFlow }))', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  afterEach(() => {
    TestBed.inject(Router, null)?.dispose();
    localStorage.clear();
    sessionStorage.clear();
  });

  it('sends the browser to /authorize with PKCE S256, state and nonce', async () => {
    const { flow, navigations } = setUp();
    const { url, params } = await signIn(flow, navigations);

    expect(`${url.origin}${url.pathname}`).toBe(`${AUTH_URL}/authorize`);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe(CLIENT);
    expect(params.get('redirect_uri')).toBe(`${location.origin}/auth/code`);
    expect(params.get('scope')).toBe('openid email offline_access');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const pending = JSON.parse(sessionStorage.getItem('latchkey_code_flow') as string);
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(params.get('code_challenge')).toBe(await s256(pending.verifier));
    expect(params.get('code_challenge')).not.toBe(pending.verifier);
  });

  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('redeems the code with the verifier, checks the nonce and opens the session', async () => {
    const { flow, navigations, http, auth } = setUp();
    const { params } = await signIn(flow, navigations, '/lessons');
    const pending = JSON.parse(sessionStorage.getItem('latchkey_code_flow') as string);
    const answer = new URLSearchParams({
      code: 'the-code',
      state: params.get('state') as string,
      iss: AUTH_URL,
    });

    const done = firstValueFrom(flow.complete(answer));
    const req = http.expectOne(`${AUTH_URL}/token`);
    expect(req.request.method).toBe('POST');
    expect(req.request.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(req.request.headers.has('Authorization')).toBe(false);
    const form = new URLSearchParams(req.request.body as string);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe('the-code');
    expect(form.get('code_verifier')).toBe(pending.verifier);
    expect(form.get('redirect_uri')).toBe(`${location.origin}/auth/code`);
    expect(form.get('client_id')).toBe(CLIENT);
    const idToken = tokenWith({ aud: CLIENT, nonce: params.get('nonce') });
    req.flush({
      access_token: 'access-1',
      expires_in: 900,
      refresh_token: 'refresh-1',
      id_token: idToken,
    });

    expect(await done).toBe('/lessons');
    expect(auth.getToken()).toBe('access-1');
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-1');
    expect(localStorage.getItem(OIDC_ID_TOKEN_KEY)).toBe(idToken);
    expect(sessionStorage.getItem('latchkey_code_flow')).toBeNull();
  });

  it('refuses an answer whose state, issuer or ID token is not this sign-in', async () => {
    const { flow, navigations, http, auth } = setUp();

    // another state: no token request at all
    await signIn(flow, navigations);
    await expect(
      firstValueFrom(flow.complete(new URLSearchParams({ code: 'c', state: 'forged' }))),
    ).rejects.toThrow(/No sign-in/);
    // the pending sign-in is spent: the right state no longer works either
    http.expectNone(`${AUTH_URL}/token`);

    let { params } = await signIn(flow, navigations);
    const otherIssuer = new URLSearchParams({
      code: 'c',
      state: params.get('state') as string,
      iss: 'https://evil.example.com',
    });
    await expect(firstValueFrom(flow.complete(otherIssuer))).rejects.toThrow(/another issuer/);
    http.expectNone(`${AUTH_URL}/token`);

    ({ params } = await signIn(flow, navigations));
    const refused = new URLSearchParams({
      error: 'access_denied',
      state: params.get('state') as string,
    });
    await expect(firstValueFrom(flow.complete(refused))).rejects.toThrow(/access_denied/);

    ({ params } = await signIn(flow, navigations));
    const wrongNonce = firstValueFrom(
      flow.complete(new URLSearchParams({ code: 'c', state: params.get('state') as string })),
    );
    http.expectOne(`${AUTH_URL}/token`).flush({
      access_token: 'access-1',
      expires_in: 900,
      refresh_token: 'refresh-1',
      id_token: tokenWith({ aud: CLIENT, nonce: 'another' }),
    });
    await expect(wrongNonce).rejects.toThrow(/ID token/);
    expect(auth.isLoggedIn()).toBe(false);
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
  });

  it('refreshes at /token with the refresh token and keeps its successor', async () => {
    const { http, auth } = setUp({ refresh: true });
    auth.setSession({ idToken: 'access-1', expiresIn: 900 });
    localStorage.setItem(REFRESH_TOKEN_KEY, 'refresh-1');

    const refreshed = firstValueFrom(auth.refresh());
    const req = http.expectOne(`${AUTH_URL}/token`);
    const form = new URLSearchParams(req.request.body as string);
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('refresh_token')).toBe('refresh-1');
    expect(form.get('client_id')).toBe(CLIENT);
    req.flush({ access_token: 'access-2', expires_in: 900, refresh_token: 'refresh-2' });

    await refreshed;
    expect(auth.getToken()).toBe('access-2');
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-2');
    http.expectNone(`${AUTH_URL}/api/refresh`);
  });

  it('signs out here and at the auth server (RP-initiated logout with the ID token)', () => {
    const { flow, navigations, http, auth } = setUp();
    auth.setSession({ idToken: 'access-1', expiresIn: 900 });
    localStorage.setItem(REFRESH_TOKEN_KEY, 'refresh-1');
    localStorage.setItem(OIDC_ID_TOKEN_KEY, 'the-id-token');

    flow.signOut();

    expect(auth.isLoggedIn()).toBe(false);
    expect(localStorage.getItem(ID_TOKEN_KEY)).toBeNull();
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
    http.expectOne(`${AUTH_URL}/api/logout`).flush(null, { status: 204, statusText: 'No' });
    const logout = new URL(navigations[0]);
    expect(`${logout.origin}${logout.pathname}`).toBe(`${AUTH_URL}/logout`);
    expect(logout.searchParams.get('id_token_hint')).toBe('the-id-token');
    expect(logout.searchParams.get('client_id')).toBe(CLIENT);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${location.origin}/`);
  });

  it('the callback guard opens the session, or sends a refused answer to the login route', async () => {
    const { flow, navigations, http, router } = setUp();
    const { params } = await signIn(flow, navigations, '/lessons');
    const guard = (url: string) =>
      TestBed.runInInjectionContext(() =>
        codeFlowCallbackGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
      ) as Observable<UrlTree>;

    const opened = firstValueFrom(guard(`/auth/code?code=c&state=${params.get('state')}`));
    http.expectOne(`${AUTH_URL}/token`).flush({
      access_token: 'access-1',
      expires_in: 900,
      id_token: tokenWith({ aud: [CLIENT], nonce: params.get('nonce') }),
    });
    expect(router.serializeUrl(await opened)).toBe('/lessons');

    const refused = await firstValueFrom(guard('/auth/code?code=c&state=replayed'));
    expect(router.serializeUrl(refused)).toBe('/login?reason=code_flow');
  });

  it('needs a client id and body mode, and fills in the defaults', () => {
    expect(() => normalizeOptions({ ...TEST_OPTIONS, codeFlow: { clientId: ' ' } })).toThrow(
      /clientId/,
    );
    expect(() =>
      normalizeOptions({ ...TEST_OPTIONS, delivery: 'cookie', codeFlow: { clientId: CLIENT } }),
    ).toThrow(/body/);
    expect(normalizeOptions(TEST_OPTIONS).codeFlow).toBeNull();
    expect(
      normalizeOptions({ ...CODE_FLOW, codeFlow: { clientId: CLIENT, scope: 'email' } }).codeFlow,
    ).toEqual({
      clientId: CLIENT,
      redirectPath: '/auth/code',
      postLogoutPath: '/',
      scope: 'openid email offline_access',
    });
  });
});

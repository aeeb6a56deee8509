import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { isSecondFactorRequired, LoginResult } from './auth.service';
import { AUTH_ENDPOINT } from './http-context';
import { accountErrorMessage, loginErrorMessage } from './http-errors';
import { SecondFactorService } from './second-factor.service';
import { EXPIRES_AT_KEY, ID_TOKEN_KEY } from './storage';
import { AUTH_URL, setCookie, setUpApp } from './testing/test-setup';

const NOW = new Date('2026-03-01T10:00:00Z');
const STEP = { mfaRequired: true, mfaToken: 'opaque-token', methods: ['totp', 'recovery_code'] };

describe('the second sign-in step', () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    TestBed.inject(Router, null)?.dispose();
    vi.useRealTimers();
    localStorage.clear();
    setCookie('XSRF-TOKEN', '');
  });

  it('login() emits the step, opens no session, and keeps the token out of storage and view', () => {
    const { auth, http } = setUpApp();
    const results: LoginResult[] = [];
    auth.login('ada@example.com', 'pw').subscribe((r) => results.push(r));
    const req = http.expectOne(`${AUTH_URL}/api/login`);
    expect(req.request.withCredentials).toBe(true);
    req.flush({ ...STEP, expiresIn: 300 });

    expect(results).toEqual([{ mfaRequired: true, methods: ['totp', 'recovery_code'] }]);
    expect(isSecondFactorRequired(results[0])).toBe(true);
    expect(auth.loggedIn()).toBe(false);
    expect(localStorage.getItem(ID_TOKEN_KEY)).toBeNull();
    expect(localStorage.getItem(EXPIRES_AT_KEY)).toBeNull();
    expect(JSON.stringify(localStorage)).not.toContain('opaque-token');
    expect(auth.secondFactor()).toEqual({
      methods: ['totp', 'recovery_code'],
      expiresAt: NOW.getTime() + 300_000,
    });
  });

  it('completeSecondFactor posts the token and the code with credentials and opens the session', () => {
    const { auth, http } = setUpApp();
    auth.login('ada@example.com', 'pw').subscribe();
    http.expectOne(`${AUTH_URL}/api/login`).flush(STEP);

    let done = false;
    auth.completeSecondFactor(' 123 456 ').subscribe(() => (done = true));
    const req = http.expectOne(`${AUTH_URL}/api/login/mfa`);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ mfaToken: 'opaque-token', code: '123456' });
    expect(req.request.withCredentials).toBe(true);
    expect(req.request.context.get(AUTH_ENDPOINT)).toBe(true);
    req.flush({ idToken: 'the.jwt.sig', expiresIn: 600 });

    expect(done).toBe(true);
    expect(auth.loggedIn()).toBe(true);
    expect(auth.getToken()).toBe('the.jwt.sig');
    expect(auth.secondFactor()).toBeNull();
  });

  it('a wrong code keeps the step; an expired step ends it', () => {
    const { auth, http } = setUpApp();
    auth.login('ada@example.com', 'pw').subscribe();
    http.expectOne(`${AUTH_URL}/api/login`).flush(STEP);

    let error: unknown = null;
    auth.completeSecondFactor('000000').subscribe({ error: (e) => (error = e) });
    http
      .expectOne(`${AUTH_URL}/api/login/mfa`)
      .flush({ error: 'invalid_code' }, { status: 401, statusText: 'Unauthorized' });
    expect(loginErrorMessage(error)).toContain('code is not valid');
    expect(auth.secondFactor()).not.toBeNull();
    expect(auth.loggedIn()).toBe(false);

    auth.completeSecondFactor('111111').subscribe({ error: (e) => (error = e) });
    http
      .expectOne(`${AUTH_URL}/api/login/mfa`)
      .flush({ error: 'mfa_expired' }, { status: 410, statusText: 'Gone' });
    expect(loginErrorMessage(error)).toContain('enter your password again');
    expect(auth.secondFactor()).toBeNull();

    let refused: unknown = null;
    auth.completeSecondFactor('222222').subscribe({ error: (e) => (refused = e) });
    expect(refused).toBeInstanceOf(Error);
    http.verify();
  });

  it('login() without a second factor emits the session as before', () => {
    const { auth, http } = setUpApp();
    const results: LoginResult[] = [];
    auth.login('ada@example.com', 'pw').subscribe((r) => results.push(r));
    http.expectOne(`${AUTH_URL}/api/login`).flush({ idToken: 't', expiresIn: 60 });
    expect(isSecondFactorRequired(results[0])).toBe(false);
    expect(auth.loggedIn()).toBe(true);
    expect(auth.secondFactor()).toBeNull();
  });
});

describe('SecondFactorService', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    TestBed.inject(Router, null)?.dispose();
    localStorage.clear();
    setCookie('XSRF-TOKEN', '');
  });

  function setUp(delivery: 'body' | 'cookie' = 'body') {
    const app = setUpApp({ delivery });
    return { ...app, factors: TestBed.inject(SecondFactorService) };
  }

  it('enrols: start, confirm with a code, then the recovery codes, with the bearer token', () => {
    const { auth, factors, http } = setUp();
    auth.setSession({ idToken: 'the.jwt.sig', expiresIn: 600 });

    let secret = '';
    factors.startTotp().subscribe((e) => (secret = e.secret));
    const start = http.expectOne(`${AUTH_URL}/api/mfa/totp`);
    expect(start.request.method).toBe('POST');
    expect(start.request.headers.get('Authorization')).toBe('Bearer the.jwt.sig');
    expect(start.request.context.get(AUTH_ENDPOINT)).toBe(true);
    start.flush({ secret: 'ABC', otpauthUri: 'otpauth://totp/x?secret=ABC' });
    expect(secret).toBe('ABC');

    let codes: readonly string[] = [];
    factors.confirmTotp('123 456').subscribe((c) => (codes = c));
    const confirm = http.expectOne(`${AUTH_URL}/api/mfa/totp/confirm`);
    expect(confirm.request.body).toEqual({ code: '123456' });
    confirm.flush({ recoveryCodes: ['AAAAA-BBBBB', 'CCCCC-DDDDD'] });
    expect(codes).toEqual(['AAAAA-BBBBB', 'CCCCC-DDDDD']);

    let left = -1;
    factors.summary().subscribe((s) => (left = s.recoveryCodesLeft));
    const summary = http.expectOne(`${AUTH_URL}/api/mfa`);
    expect(summary.request.method).toBe('GET');
    summary.flush({ totp: true, passkeys: [], recoveryCodesLeft: 2 });
    expect(left).toBe(2);
    http.verify();
  });

  it('removes with a code or the password in the DELETE body; regenerates with a code', () => {
    const { factors, http } = setUp();
    factors.removeTotp({ code: '123 456' }).subscribe();
    const byCode = http.expectOne(`${AUTH_URL}/api/mfa/totp`);
    expect(byCode.request.method).toBe('DELETE');
    expect(byCode.request.body).toEqual({ code: '123456' });
    byCode.flush({ totp: false, passkeys: [], recoveryCodesLeft: 0 });

    factors.removeTotp({ password: 'pass word' }).subscribe();
    expect(http.expectOne(`${AUTH_URL}/api/mfa/totp`).request.body).toEqual({
      password: 'pass word',
    });

    factors.regenerateRecoveryCodes('654321').subscribe();
    const fresh = http.expectOne(`${AUTH_URL}/api/mfa/recovery-codes`);
    expect(fresh.request.method).toBe('POST');
    expect(fresh.request.body).toEqual({ code: '654321' });
  });

  it('cookie mode sends the cookie and the XSRF header; a wrong code keeps the session', () => {
    setCookie('XSRF-TOKEN', 'xsrf-value');
    const { auth, factors, http } = setUp('cookie');
    auth.setSession({ expiresIn: 600 });
    let error: unknown = null;
    factors.confirmTotp('000000').subscribe({ error: (e) => (error = e) });
    const req = http.expectOne(`${AUTH_URL}/api/mfa/totp/confirm`);
    expect(req.request.withCredentials).toBe(true);
    expect(req.request.headers.get('X-XSRF-TOKEN')).toBe('xsrf-value');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({ error: 'invalid_code' }, { status: 401, statusText: 'Unauthorized' });
    expect(accountErrorMessage(error)).toContain('code is not valid');
    expect(auth.loggedIn()).toBe(true);
  });
});

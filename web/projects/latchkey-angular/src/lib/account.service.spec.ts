import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { AccountService } from './account.service';
import { AUTH_ENDPOINT } from './http-context';
import { AUTH_URL, setCookie, setUpApp } from './testing/test-setup';

describe('AccountService', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    TestBed.inject(Router, null)?.dispose();
    localStorage.clear();
    setCookie('XSRF-TOKEN', '');
  });

  function setUp(delivery: 'body' | 'cookie' = 'body') {
    const app = setUpApp({ delivery });
    return { ...app, accounts: TestBed.inject(AccountService) };
  }

  it('posts each flow to its endpoint on the auth server, marked as an auth endpoint', () => {
    const { accounts, http } = setUp();
    const done: string[] = [];
    const calls: [() => void, string, unknown][] = [
      [
        () => accounts.confirmEmail('tok', 'my passphrase').subscribe(() => done.push('confirm')),
        '/api/email-verification/confirm',
        { token: 'tok', password: 'my passphrase' },
      ],
      [
        () => accounts.resendVerification(' a@example.com ').subscribe(() => done.push('resend')),
        '/api/email-verification',
        { email: 'a@example.com' },
      ],
      [
        () => accounts.requestPasswordReset('a@example.com').subscribe(() => done.push('forgot')),
        '/api/password-reset',
        { email: 'a@example.com' },
      ],
      [
        () =>
          accounts
            .confirmPasswordReset('tok', 'new passphrase')
            .subscribe(() => done.push('reset')),
        '/api/password-reset/confirm',
        { token: 'tok', password: 'new passphrase' },
      ],
    ];
    for (const [call, path, body] of calls) {
      call();
      const req = http.expectOne(`${AUTH_URL}${path}`);
      expect(req.request.method).toBe('POST');
      expect(req.request.body).toEqual(body);
      expect(req.request.context.get(AUTH_ENDPOINT)).toBe(true);
      expect(req.request.headers.has('Authorization')).toBe(false);
      req.flush(null, { status: 202, statusText: 'Accepted' });
    }
    expect(done).toEqual(['confirm', 'resend', 'forgot', 'reset']);
    http.verify();
  });

  it('changePassword sends the body-mode token as a bearer token', () => {
    const { accounts, auth, http } = setUp();
    auth.setSession({ idToken: 'the.jwt.sig', expiresIn: 600 });
    let ok = false;
    accounts.changePassword('old one', 'new one').subscribe(() => (ok = true));

    const req = http.expectOne(`${AUTH_URL}/api/password`);
    expect(req.request.body).toEqual({ currentPassword: 'old one', newPassword: 'new one' });
    expect(req.request.headers.get('Authorization')).toBe('Bearer the.jwt.sig');
    req.flush({ status: 'password_changed', idToken: 'the.new.jwt', expiresIn: 600 });
    expect(ok).toBe(true);
    expect(auth.loggedIn()).toBe(true);
    expect(auth.getToken()).toBe('the.new.jwt'); // the old session was ended by the change
  });

  it('changePassword in cookie mode sends the cookie and the XSRF header, no bearer', () => {
    setCookie('XSRF-TOKEN', 'xsrf-value');
    const { accounts, http } = setUp('cookie');
    accounts.changePassword('old one', 'new one').subscribe();

    const req = http.expectOne(`${AUTH_URL}/api/password`);
    expect(req.request.withCredentials).toBe(true);
    expect(req.request.headers.get('X-XSRF-TOKEN')).toBe('xsrf-value');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({ status: 'password_changed', expiresIn: 600 });
  });

  it('a refused change does not end the session', () => {
    const { accounts, auth, http } = setUp();
    auth.setSession({ idToken: 't', expiresIn: 600 });
    let failed = false;
    accounts.changePassword('wrong', 'new one').subscribe({ error: () => (failed = true) });
    http
      .expectOne(`${AUTH_URL}/api/password`)
      .flush({ error: 'wrong_password' }, { status: 403, statusText: 'Forbidden' });
    expect(failed).toBe(true);
    expect(auth.loggedIn()).toBe(true);
  });
});

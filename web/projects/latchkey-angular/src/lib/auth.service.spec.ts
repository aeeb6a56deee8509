import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { AUTH_URL, setUpApp } from './testing/test-setup';
import { EXPIRES_AT_KEY, ID_TOKEN_KEY } from './storage';

const NOW = new Date('2026-03-01T10:00:00Z');

describe('AuthService', () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(NOW);
  });

  afterEach(() => {
    TestBed.inject(Router, null)?.dispose();
    vi.useRealTimers();
    localStorage.clear();
  });

  describe('body mode', () => {
    it('setSession stores id_token and expires_at = now + expiresIn seconds (epoch ms)', () => {
      const { auth } = setUpApp();

      auth.setSession({ idToken: 'header.payload.sig', expiresIn: 7200 });

      expect(localStorage.getItem(ID_TOKEN_KEY)).toBe('header.payload.sig');
      expect(localStorage.getItem(EXPIRES_AT_KEY)).toBe(String(NOW.getTime() + 7_200_000));
      expect(auth.getExpiration()).toEqual(new Date('2026-03-01T12:00:00Z'));
      expect(auth.expiresAt()).toBe(NOW.getTime() + 7_200_000);
    });

    it('is logged in until the expiry instant, logged out from it on', () => {
      const { auth } = setUpApp();
      expect(auth.isLoggedIn()).toBe(false);
      expect(auth.isLoggedOut()).toBe(true);
      expect(auth.getExpiration()).toBeNull();

      auth.setSession({ idToken: 't', expiresIn: 60 });
      vi.setSystemTime(NOW.getTime() + 59_999);
      expect(auth.isLoggedIn()).toBe(true);
      expect(auth.isLoggedOut()).toBe(false);

      vi.setSystemTime(NOW.getTime() + 60_000);
      expect(auth.isLoggedIn()).toBe(false);
      expect(auth.isLoggedOut()).toBe(true);
    });

    it('is not logged in with an expiry but no token', () => {
      localStorage.setItem(EXPIRES_AT_KEY, String(NOW.getTime() + 60_000));
      const { auth } = setUpApp();
      expect(auth.isLoggedIn()).toBe(false);
      expect(auth.getToken()).toBeNull();
    });

    it('restores a stored session on start (a reload keeps the session)', () => {
      localStorage.setItem(ID_TOKEN_KEY, 'stored');
      localStorage.setItem(EXPIRES_AT_KEY, String(NOW.getTime() + 60_000));
      const { auth } = setUpApp();
      expect(auth.loggedIn()).toBe(true);
      expect(auth.getToken()).toBe('stored');
    });

    it('logout removes id_token and expires_at and flips the signal', () => {
      const { auth, http } = setUpApp();
      auth.setSession({ idToken: 't', expiresIn: 60 });
      expect(auth.loggedIn()).toBe(true);

      auth.logout();

      expect(localStorage.getItem(ID_TOKEN_KEY)).toBeNull();
      expect(localStorage.getItem(EXPIRES_AT_KEY)).toBeNull();
      expect(auth.loggedIn()).toBe(false);
      expect(auth.getToken()).toBeNull();
      // body mode too: the auth server revokes the session and clears any cookie it set
      const req = http.expectOne(`${AUTH_URL}/api/logout`);
      expect(req.request.method).toBe('POST');
      expect(req.request.headers.get('Authorization')).toBe('Bearer t');
      expect(req.request.withCredentials).toBe(true);
      // The server refuses what a cross-site form could send: this goes as application/json.
      expect(req.request.body).toEqual({});
      expect(req.request.detectContentTypeHeader()).toBe('application/json');
      req.flush(null, { status: 204, statusText: 'No Content' });
      http.verify();
    });

    it('login posts the credentials once and shares the answer with every subscriber', () => {
      const { auth, http } = setUpApp();
      const login$ = auth.login('student@example.com', 'pw');
      const seen: string[] = [];
      login$.subscribe((r) => seen.push(`a:${r.idToken}`));
      login$.subscribe((r) => seen.push(`b:${r.idToken}`));

      const req = http.expectOne(`${AUTH_URL}/api/login`);
      expect(req.request.method).toBe('POST');
      expect(req.request.body).toEqual({ email: 'student@example.com', password: 'pw' });
      expect(req.request.withCredentials).toBe(true); // the device cookie goes with it
      expect(req.request.headers.has('Authorization')).toBe(false);
      req.flush({ idToken: 'jwt', expiresIn: 7200 });

      login$.subscribe((r) => seen.push(`c:${r.idToken}`)); // late subscriber: replayed
      http.verify();
      expect(seen).toEqual(['a:jwt', 'b:jwt', 'c:jwt']);
      expect(localStorage.getItem(ID_TOKEN_KEY)).toBe('jwt');
      expect(auth.isLoggedIn()).toBe(true);
    });

    it('login fails on an answer without a token, and stores nothing', () => {
      const { auth, http } = setUpApp();
      let failed = false;
      auth.login('a@b.c', 'pw').subscribe({ error: () => (failed = true) });
      http.expectOne(`${AUTH_URL}/api/login`).flush({ expiresIn: 7200 });
      expect(failed).toBe(true);
      expect(localStorage.getItem(EXPIRES_AT_KEY)).toBeNull();
    });

    it('logs out and returns to /login?reason=expired when the session runs out', async () => {
      const { auth, router } = setUpApp(undefined, [
        { path: 'lessons', children: [] },
        { path: 'login', children: [] },
      ]);
      await router.navigateByUrl('/lessons');
      auth.setSession({ idToken: 't', expiresIn: 5 });

      await vi.advanceTimersByTimeAsync(4_999);
      expect(auth.loggedIn()).toBe(true);

      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(router.url).toBe('/login?reason=expired&returnUrl=%2Flessons'));
      expect(auth.loggedIn()).toBe(false);
      expect(localStorage.getItem(ID_TOKEN_KEY)).toBeNull();
      expect(localStorage.getItem(EXPIRES_AT_KEY)).toBeNull();
    });

    it('follows a login or logout in another tab', () => {
      const { auth } = setUpApp();
      localStorage.setItem(ID_TOKEN_KEY, 'other-tab');
      localStorage.setItem(EXPIRES_AT_KEY, String(NOW.getTime() + 60_000));
      window.dispatchEvent(new StorageEvent('storage', { key: EXPIRES_AT_KEY }));
      expect(auth.loggedIn()).toBe(true);

      localStorage.clear();
      window.dispatchEvent(new StorageEvent('storage', { key: null }));
      expect(auth.loggedIn()).toBe(false);
    });
  });

  describe('cookie mode', () => {
    it('keeps only expires_at in localStorage, even if the answer holds a token', () => {
      localStorage.setItem(ID_TOKEN_KEY, 'left-over-from-body-mode');
      const { auth, http } = setUpApp({ delivery: 'cookie' });
      expect(localStorage.getItem(ID_TOKEN_KEY)).toBeNull();

      auth.login('student@example.com', 'pw').subscribe();
      const req = http.expectOne(`${AUTH_URL}/api/login`);
      expect(req.request.withCredentials).toBe(true);
      req.flush({ idToken: 'should-not-be-kept', expiresIn: 3600 });

      expect(Object.keys(localStorage)).toEqual([EXPIRES_AT_KEY]);
      expect(localStorage.getItem(EXPIRES_AT_KEY)).toBe(String(NOW.getTime() + 3_600_000));
      expect(auth.isLoggedIn()).toBe(true);
      expect(auth.getToken()).toBeNull();
    });

    it('logout clears expires_at and asks the auth server to clear its cookies', () => {
      const { auth, http } = setUpApp({ delivery: 'cookie' });
      auth.setSession({ expiresIn: 3600 });
      document.cookie = 'XSRF-TOKEN=xsrf-value; path=/';

      auth.logout();

      expect(localStorage.getItem(EXPIRES_AT_KEY)).toBeNull();
      const req = http.expectOne(`${AUTH_URL}/api/logout`);
      expect(req.request.method).toBe('POST');
      expect(req.request.withCredentials).toBe(true);
      expect(req.request.headers.get('X-XSRF-TOKEN')).toBe('xsrf-value');
      expect(req.request.headers.has('Authorization')).toBe(false);
      expect(req.request.detectContentTypeHeader()).toBe('application/json');
      document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
      req.flush(null, { status: 204, statusText: 'No Content' });
      http.verify();
    });

    it('with refresh, logout first ends the refresh family, whose cookie only /api/refresh/* receives', () => {
      const { auth, http } = setUpApp({ delivery: 'cookie', refresh: true });
      auth.setSession({ expiresIn: 3600 });
      document.cookie = 'XSRF-TOKEN=xsrf-value; path=/';

      auth.logout();

      expect(localStorage.getItem(EXPIRES_AT_KEY)).toBeNull();
      // /api/logout's answer clears the refresh cookie: it is asked only once the family has ended
      http.expectNone(`${AUTH_URL}/api/logout`);
      const family = http.expectOne(`${AUTH_URL}/api/refresh/logout`);
      expect(family.request.method).toBe('POST');
      expect(family.request.withCredentials).toBe(true);
      expect(family.request.headers.get('X-XSRF-TOKEN')).toBe('xsrf-value');
      family.flush(null, { status: 204, statusText: 'No Content' });
      const session = http.expectOne(`${AUTH_URL}/api/logout`);
      expect(session.request.withCredentials).toBe(true);
      document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
      session.flush(null, { status: 204, statusText: 'No Content' });
      http.verify();
    });

    it('with refresh, logout still asks /api/logout when ending the family failed', () => {
      const { auth, http } = setUpApp({ delivery: 'cookie', refresh: true });
      auth.setSession({ expiresIn: 3600 });

      auth.logout();

      http
        .expectOne(`${AUTH_URL}/api/refresh/logout`)
        .flush(null, { status: 0, statusText: 'Network error' });
      http
        .expectOne(`${AUTH_URL}/api/logout`)
        .flush(null, { status: 204, statusText: 'No Content' });
      http.verify();
    });

    it('without refresh, logout asks /api/logout only', () => {
      const { auth, http } = setUpApp({ delivery: 'cookie' });
      auth.setSession({ expiresIn: 3600 });

      auth.logout();

      http.expectNone(`${AUTH_URL}/api/refresh/logout`);
      http
        .expectOne(`${AUTH_URL}/api/logout`)
        .flush(null, { status: 204, statusText: 'No Content' });
      http.verify();
    });

    it('checkSession (hosted login return) asks the auth server with credentials', () => {
      const { auth, http } = setUpApp({ delivery: 'cookie' });
      auth.checkSession().subscribe();
      const req = http.expectOne(`${AUTH_URL}/api/session`);
      expect(req.request.method).toBe('GET');
      expect(req.request.withCredentials).toBe(true);
      req.flush({ expiresIn: 600 });
      expect(auth.isLoggedIn()).toBe(true);
    });
  });

  describe('refresh sessions', () => {
    it('refreshes shortly before expiry and keeps the session', async () => {
      const { auth, http } = setUpApp({ refresh: true });
      auth.setSession({ idToken: 'first', expiresIn: 900 });

      await vi.advanceTimersByTimeAsync(900_000 - 60_000);
      const req = http.expectOne(`${AUTH_URL}/api/refresh`);
      expect(req.request.method).toBe('POST');
      expect(req.request.withCredentials).toBe(true);
      expect(req.request.body).toEqual({});
      expect(req.request.detectContentTypeHeader()).toBe('application/json');
      req.flush({ idToken: 'second', expiresIn: 900 });

      expect(auth.getToken()).toBe('second');
      expect(auth.getExpiration()?.getTime()).toBe(NOW.getTime() + 840_000 + 900_000);
      await vi.advanceTimersByTimeAsync(120_000); // past the first expiry
      expect(auth.isLoggedIn()).toBe(true);
    });
    it('tries a contended refresh again instead of ending the session', async () => {
      const { auth, http } = setUpApp({ refresh: true });
      auth.setSession({ idToken: 'first', expiresIn: 900 });

      await vi.advanceTimersByTimeAsync(900_000 - 60_000);
      http
        .expectOne(`${AUTH_URL}/api/refresh`)
        .flush(
          { error: 'refresh_contended', message: 'try again' },
          { status: 503, statusText: 'Service Unavailable', headers: { 'Retry-After': '1' } },
        );
      expect(auth.isLoggedIn()).toBe(true);

      await vi.advanceTimersByTimeAsync(1_000);
      http.expectOne(`${AUTH_URL}/api/refresh`).flush({ idToken: 'second', expiresIn: 900 });
      expect(auth.getToken()).toBe('second');
    });
  });
});

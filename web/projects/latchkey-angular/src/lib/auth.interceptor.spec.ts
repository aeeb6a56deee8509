import { HttpClient, HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import { API_ORIGIN, AUTH_URL, setCookie, setUpApp } from './testing/test-setup';
import { authEndpointContext } from './http-context';
import { MAX_RETRY_WAIT_MS, retryDelayMs } from './auth.interceptor';

const NOW = new Date('2026-03-01T10:00:00Z').getTime();

function loggedInBodyMode() {
  const app = setUpApp({ delivery: 'body' }, [
    { path: 'lessons', children: [] },
    { path: 'login', children: [] },
  ]);
  app.auth.setSession({ idToken: 'the.jwt', expiresIn: 3600 });
  return { ...app, client: TestBed.inject(HttpClient) };
}

describe('authInterceptor', () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  afterEach(() => {
    vi.useRealTimers();
    localStorage.clear();
    setCookie('XSRF-TOKEN', '');
  });

  describe('body mode', () => {
    it('adds the Bearer token to a relative (same-origin) URL', () => {
      const { client, http } = loggedInBodyMode();
      client.get('/api/lessons').subscribe();
      const req = http.expectOne('/api/lessons');
      expect(req.request.headers.get('Authorization')).toBe('Bearer the.jwt');
    });

    it('adds the Bearer token to an origin listed in apiOrigins', () => {
      const { client, http } = loggedInBodyMode();
      client.get(`${API_ORIGIN}/api/lessons`).subscribe();
      const req = http.expectOne(`${API_ORIGIN}/api/lessons`);
      expect(req.request.headers.get('Authorization')).toBe('Bearer the.jwt');
    });

    it.each([
      'https://evil.example/api/lessons',
      '//evil.example/api/lessons',
      '/\\evil.example/api/lessons',
      'http://localhost:8081/api/lessons', // same host, another port: another origin
      'https://localhost:8080/api/lessons', // another scheme: another origin
      `${AUTH_URL}/api/anything`, // the auth server, not listed as an API origin
    ])('never sends the token to %s', (url) => {
      const { client, http } = loggedInBodyMode();
      client.get(url).subscribe();
      const req = http.expectOne(url);
      expect(req.request.headers.has('Authorization')).toBe(false);
    });

    it('adds nothing when logged out', () => {
      const { client, http, auth } = loggedInBodyMode();
      auth.logout();
      client.get('/api/lessons').subscribe();
      expect(http.expectOne('/api/lessons').request.headers.has('Authorization')).toBe(false);
    });

    it('adds nothing once the session has expired', () => {
      const { client, http } = loggedInBodyMode();
      vi.setSystemTime(NOW + 3_600_000);
      client.get('/api/lessons').subscribe();
      expect(http.expectOne('/api/lessons').request.headers.has('Authorization')).toBe(false);
    });

    it('on a 401 from the API logs out and goes to /login?reason=unauthorized', async () => {
      const { client, http, auth, router } = loggedInBodyMode();
      await router.navigateByUrl('/lessons');
      let status = 0;
      client.get(`${API_ORIGIN}/api/lessons`).subscribe({ error: (e) => (status = e.status) });

      http
        .expectOne(`${API_ORIGIN}/api/lessons`)
        .flush({ error: 'invalid_token' }, { status: 401, statusText: 'Unauthorized' });

      expect(status).toBe(401); // the caller still sees the error
      expect(auth.loggedIn()).toBe(false);
      expect(localStorage.getItem('id_token')).toBeNull();
      await vi.waitFor(() =>
        expect(router.url).toBe('/login?reason=unauthorized&returnUrl=%2Flessons'),
      );
    });

    it('retries a 503 with Retry-After once instead of ending the session', async () => {
      const { client, http, auth } = loggedInBodyMode();
      let body: unknown = null;
      client.get('/api/lessons').subscribe((b) => (body = b));

      http
        .expectOne('/api/lessons')
        .flush(
          { error: 'key_refetch_limited' },
          { status: 503, statusText: 'Service Unavailable', headers: { 'Retry-After': '0' } },
        );
      const retried = await vi.waitFor(() => http.expectOne('/api/lessons'));
      expect(retried.request.headers.get('Authorization')).toBe('Bearer the.jwt');
      retried.flush([{ id: 1 }]);

      expect(body).toEqual([{ id: 1 }]);
      expect(auth.loggedIn()).toBe(true);
    });

    it('retries only once; a second 503 reaches the caller and keeps the session', async () => {
      const { client, http, auth } = loggedInBodyMode();
      let status = 0;
      client.post('/api/lessons', {}).subscribe({ error: (e) => (status = e.status) });
      const unavailable = {
        status: 503,
        statusText: 'Service Unavailable',
        headers: { 'Retry-After': '0' },
      };

      http.expectOne('/api/lessons').flush({ error: 'keys_unavailable' }, unavailable);
      const retried = await vi.waitFor(() => http.expectOne('/api/lessons'));
      retried.flush({ error: 'keys_unavailable' }, unavailable);

      await vi.waitFor(() => expect(status).toBe(503));
      http.verify();
      expect(auth.loggedIn()).toBe(true);
    });

    it('does not retry an unsafe request on a 503 the handler may have answered', () => {
      const { client, http } = loggedInBodyMode();
      let status = 0;
      client.post('/api/lessons', {}).subscribe({ error: (e) => (status = e.status) });
      http
        .expectOne('/api/lessons')
        .flush(
          { error: 'database_down' },
          { status: 503, statusText: 'Service Unavailable', headers: { 'Retry-After': '0' } },
        );
      expect(status).toBe(503);
      http.verify();
    });

    it('waits Retry-After, at most 10 s, and never retries without it', () => {
      const answer = (retryAfter: string | null, status = 503) =>
        new HttpErrorResponse({
          status,
          error: { error: 'keys_unavailable' },
          headers:
            retryAfter === null
              ? new HttpHeaders()
              : new HttpHeaders({ 'Retry-After': retryAfter }),
        });
      expect(retryDelayMs(answer('6'), 'GET')).toBe(6_000);
      expect(retryDelayMs(answer('3600'), 'POST')).toBe(MAX_RETRY_WAIT_MS);
      expect(retryDelayMs(answer(null), 'GET')).toBeNull();
      expect(retryDelayMs(answer('6', 401), 'GET')).toBeNull();
    });

    it("reads the wait from the body's retryAfter when CORS hides Retry-After", () => {
      const hidden = new HttpErrorResponse({
        status: 503,
        error: { error: 'keys_unavailable', retryAfter: 6 },
        headers: new HttpHeaders(),
      });
      expect(retryDelayMs(hidden, 'POST')).toBe(6_000);
    });

    it('ignores a 401 from another origin', () => {
      const { client, http, auth } = loggedInBodyMode();
      client.get('https://other.example/x').subscribe({ error: () => undefined });
      http.expectOne('https://other.example/x').flush(null, { status: 401, statusText: 'No' });
      expect(auth.loggedIn()).toBe(true);
    });

    it('ignores a 401 from an auth endpoint (a wrong password is not a lost session)', () => {
      const { client, http, auth } = loggedInBodyMode();
      client.post('/api/login', {}, { context: authEndpointContext() }).subscribe({
        error: () => undefined,
      });
      http.expectOne('/api/login').flush(null, { status: 401, statusText: 'Unauthorized' });
      expect(auth.loggedIn()).toBe(true);
    });
  });

  describe('cookie mode', () => {
    function loggedInCookieMode() {
      const app = setUpApp({ delivery: 'cookie' });
      app.auth.setSession({ expiresIn: 3600 });
      setCookie('XSRF-TOKEN', 'xsrf-123');
      return { ...app, client: TestBed.inject(HttpClient) };
    }

    it('copies the XSRF-TOKEN cookie into X-XSRF-TOKEN on unsafe calls to an API origin', () => {
      const { client, http } = loggedInCookieMode();
      client.post(`${API_ORIGIN}/api/lessons`, {}).subscribe();
      const req = http.expectOne(`${API_ORIGIN}/api/lessons`);
      expect(req.request.headers.get('X-XSRF-TOKEN')).toBe('xsrf-123');
      expect(req.request.withCredentials).toBe(true);
      expect(req.request.headers.has('Authorization')).toBe(false);
    });

    it('copies it on the logout call to the auth server', () => {
      const { auth, http } = loggedInCookieMode();
      auth.logout();
      const req = http.expectOne(`${AUTH_URL}/api/logout`);
      expect(req.request.headers.get('X-XSRF-TOKEN')).toBe('xsrf-123');
      expect(req.request.withCredentials).toBe(true);
    });

    it('sends it on same-origin unsafe calls too (relative URL)', () => {
      const { client, http } = loggedInCookieMode();
      client.delete('/api/lessons/1').subscribe();
      expect(http.expectOne('/api/lessons/1').request.headers.get('X-XSRF-TOKEN')).toBe('xsrf-123');
    });

    it('sends credentials but no XSRF header on safe methods', () => {
      const { client, http } = loggedInCookieMode();
      client.get(`${API_ORIGIN}/api/lessons`).subscribe();
      const req = http.expectOne(`${API_ORIGIN}/api/lessons`);
      expect(req.request.headers.has('X-XSRF-TOKEN')).toBe(false);
      expect(req.request.withCredentials).toBe(true);
    });

    it('sends neither credentials nor the XSRF token to another origin', () => {
      const { client, http } = loggedInCookieMode();
      client.post('https://evil.example/steal', {}).subscribe();
      const req = http.expectOne('https://evil.example/steal');
      expect(req.request.headers.has('X-XSRF-TOKEN')).toBe(false);
      expect(req.request.withCredentials).toBe(false);
    });
  });
});

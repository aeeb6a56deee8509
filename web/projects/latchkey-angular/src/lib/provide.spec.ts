import { HttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { AuthService } from './auth.service';
import { LatchkeyConfig, normalizeOptions } from './options';
import { provideLatchkey } from './provide';
import { EXPIRES_AT_KEY, ID_TOKEN_KEY, LatchkeyStorage, MemoryStorage } from './storage';
import { API_ORIGIN, AUTH_URL, setUpApp, tokenWith } from './testing/test-setup';

describe('normalizeOptions', () => {
  it('fills in the defaults', () => {
    const settings = normalizeOptions({ authUrl: '' });
    expect(settings).toMatchObject({
      authUrl: '',
      apiOrigins: [],
      delivery: 'body',
      refresh: false,
      loginPath: '/login',
      homePath: '/',
    });
    expect(settings.storage).toBe(localStorage);
  });

  it('keeps origins only, drops what is not http(s), and trims the auth URL', () => {
    expect(
      normalizeOptions({
        authUrl: 'http://localhost:9000/',
        apiOrigins: [
          'https://api.example.com/some/path',
          'not a url',
          'ftp://x.example',
          API_ORIGIN,
        ],
        delivery: 'cookie',
        refresh: true,
        loginPath: '//evil.example',
        homePath: '/lessons',
      }),
    ).toMatchObject({
      authUrl: 'http://localhost:9000',
      apiOrigins: ['https://api.example.com', API_ORIGIN],
      delivery: 'cookie',
      refresh: true,
      loginPath: '/login',
      homePath: '/lessons',
    });
  });

  it('refuses an auth URL that is not http(s)', () => {
    expect(() => normalizeOptions({ authUrl: 'javascript:alert(1)' })).toThrow(/authUrl/);
  });
});

describe('provideLatchkey', () => {
  afterEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('registers the interceptor: the token goes to the API', () => {
    const { auth, http } = setUpApp();
    auth.setSession({ idToken: 'the.jwt', expiresIn: 60 });
    TestBed.inject(HttpClient).get(`${API_ORIGIN}/api/lessons`).subscribe();
    const req = http.expectOne(`${API_ORIGIN}/api/lessons`);
    expect(req.request.headers.get('Authorization')).toBe('Bearer the.jwt');
  });

  it('takes the options from a loader run at start-up', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideLatchkey(() => Promise.resolve({ authUrl: AUTH_URL, delivery: 'cookie' })),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    const config = TestBed.inject(LatchkeyConfig);
    await vi.waitFor(() => expect(config.value.delivery).toBe('cookie'));
    const auth = TestBed.inject(AuthService);
    auth.login('a@b.c', 'pw').subscribe();
    const req = TestBed.inject(HttpTestingController).expectOne(`${AUTH_URL}/api/login`);
    expect(req.request.withCredentials).toBe(true);
  });

  it.each(['session', 'memory'] as const)('keeps the session in %s storage', (choice) => {
    const { auth, config } = setUpApp({ storage: choice });
    auth.setSession({ idToken: 'the.jwt', expiresIn: 60 });
    expect(localStorage.getItem(ID_TOKEN_KEY)).toBeNull();
    expect(sessionStorage.getItem(ID_TOKEN_KEY)).toBe(choice === 'session' ? 'the.jwt' : null);
    expect(config.value.storage.getItem(ID_TOKEN_KEY)).toBe('the.jwt');
    expect(auth.getToken()).toBe('the.jwt');
  });

  it('uses a storage the application gives', () => {
    const storage: LatchkeyStorage = new MemoryStorage();
    storage.setItem(ID_TOKEN_KEY, 'stored');
    storage.setItem(EXPIRES_AT_KEY, String(Date.now() + 60_000));
    const { auth } = setUpApp({ storage });
    expect(auth.loggedIn()).toBe(true);
    expect(auth.getToken()).toBe('stored');
  });
});

describe('AuthService.roles', () => {
  afterEach(() => localStorage.clear());

  it("reads the token's roles claim, empty without one and when logged out", () => {
    const { auth } = setUpApp();
    expect(auth.roles()).toEqual([]);
    auth.setSession({ idToken: tokenWith({ sub: 'u', roles: ['admin', 7] }), expiresIn: 60 });
    expect(auth.roles()).toEqual(['admin']);
    expect(auth.hasRole('admin')).toBe(true);
    auth.setSession({ idToken: tokenWith({ sub: 'u' }), expiresIn: 60 });
    expect(auth.roles()).toEqual([]);
    auth.setSession({ idToken: 'not-a-jwt', expiresIn: 60 });
    expect(auth.roles()).toEqual([]);
    auth.logout();
    expect(auth.hasRole('admin')).toBe(false);
  });

  it('is empty in cookie mode: the script cannot read the token', () => {
    const { auth } = setUpApp({ delivery: 'cookie' });
    auth.setSession({ idToken: tokenWith({ roles: ['admin'] }), expiresIn: 60 });
    expect(auth.roles()).toEqual([]);
  });
});

import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot, UrlTree } from '@angular/router';

import { Observable } from 'rxjs';

import { AUTH_URL, setUpApp, tokenWith } from './testing/test-setup';
import { authGuard, hostedLoginCallbackGuard, roleGuard } from './guards';
import { EXPIRES_AT_KEY, ID_TOKEN_KEY } from './storage';

const NOW = new Date('2026-03-01T10:00:00Z').getTime();

function runGuard(url: string) {
  return TestBed.runInInjectionContext(() =>
    authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
  );
}

describe('authGuard', () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  afterEach(() => {
    vi.useRealTimers();
    localStorage.clear();
  });

  it('lets a logged-in user through', () => {
    const { auth } = setUpApp();
    auth.setSession({ idToken: 't', expiresIn: 60 });
    expect(runGuard('/lessons')).toBe(true);
  });

  it('sends a logged-out user to /login with the returnUrl', () => {
    const { router } = setUpApp();
    const result = runGuard('/lessons?page=2');
    expect(result).toBeInstanceOf(UrlTree);
    expect(router.serializeUrl(result as UrlTree)).toBe('/login?returnUrl=%2Flessons%3Fpage%3D2');
  });

  it('clears an expired session and says so', () => {
    const { auth, router } = setUpApp();
    auth.setSession({ idToken: 't', expiresIn: 60 });
    vi.setSystemTime(NOW + 61_000);

    const result = runGuard('/lessons');

    expect(router.serializeUrl(result as UrlTree)).toBe(
      '/login?returnUrl=%2Flessons&reason=expired',
    );
    expect(localStorage.getItem(ID_TOKEN_KEY)).toBeNull();
    expect(localStorage.getItem(EXPIRES_AT_KEY)).toBeNull();
  });

  it('guards the real /lessons route', async () => {
    const { router } = setUpApp(undefined, [
      { path: 'lessons', canActivate: [authGuard], children: [] },
      { path: 'login', children: [] },
    ]);
    await router.navigateByUrl('/lessons');
    expect(router.url).toBe('/login?returnUrl=%2Flessons');
  });
});

describe('roleGuard', () => {
  function run(guard: ReturnType<typeof roleGuard>, url = '/admin') {
    return TestBed.runInInjectionContext(() =>
      guard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
    );
  }

  afterEach(() => localStorage.clear());

  it('lets a session with the role through', () => {
    const { auth } = setUpApp();
    auth.setSession({
      idToken: tokenWith({ sub: 'u1', roles: ['admin', 'editor'] }),
      expiresIn: 60,
    });
    expect(run(roleGuard('admin'))).toBe(true);
    expect(run(roleGuard('admin', 'editor'))).toBe(true);
  });

  it('sends a session without the role, or without a roles claim, to the home page', () => {
    const { auth, router } = setUpApp({ homePath: '/start' });
    auth.setSession({ idToken: tokenWith({ sub: 'u1', roles: ['editor'] }), expiresIn: 60 });
    expect(router.serializeUrl(run(roleGuard('admin')) as UrlTree)).toBe('/start');
    auth.setSession({ idToken: tokenWith({ sub: 'u1' }), expiresIn: 60 });
    expect(router.serializeUrl(run(roleGuard('admin', 'editor')) as UrlTree)).toBe('/start');
  });

  it('sends a logged-out user to the login route, like authGuard', () => {
    const { router } = setUpApp({ loginPath: '/signin' });
    const result = run(roleGuard('admin'));
    expect(router.serializeUrl(result as UrlTree)).toBe('/signin?returnUrl=%2Fadmin');
  });
});

describe('hostedLoginCallbackGuard', () => {
  afterEach(() => localStorage.clear());

  async function run() {
    const result = TestBed.runInInjectionContext(() =>
      hostedLoginCallbackGuard({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
    ) as Observable<UrlTree>;
    return result;
  }

  it('opens the session the cookie holds and goes to homePath', async () => {
    const { http, router, auth } = setUpApp({ delivery: 'cookie', homePath: '/lessons' });
    let target: UrlTree | undefined;
    (await run()).subscribe((url) => (target = url));
    const req = http.expectOne(`${AUTH_URL}/api/session`);
    expect(req.request.withCredentials).toBe(true);
    req.flush({ expiresIn: 600 });
    expect(router.serializeUrl(target as UrlTree)).toBe('/lessons');
    expect(auth.isLoggedIn()).toBe(true);
  });

  it('goes to the login route with reason=hosted when there is no session', async () => {
    const { http, router, auth } = setUpApp({ delivery: 'cookie' });
    let target: UrlTree | undefined;
    (await run()).subscribe((url) => (target = url));
    http
      .expectOne(`${AUTH_URL}/api/session`)
      .flush({ error: 'no_session' }, { status: 401, statusText: 'Unauthorized' });
    expect(router.serializeUrl(target as UrlTree)).toBe('/login?reason=hosted');
    expect(auth.isLoggedIn()).toBe(false);
  });
});

import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot, UrlTree } from '@angular/router';

import { setUpApp } from '../testing/test-setup';
import { authGuard, signupEnabledGuard } from './auth.guard';
import { EXPIRES_AT_KEY, ID_TOKEN_KEY } from './auth.service';

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

describe('signupEnabledGuard', () => {
  it('opens /signup only when sign-up is enabled', () => {
    const { config, router } = setUpApp({ signupEnabled: true });
    const run = () =>
      TestBed.runInInjectionContext(() =>
        signupEnabledGuard({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
      );
    expect(run()).toBe(true);
    config.set({ signupEnabled: false });
    expect(router.serializeUrl(run() as UrlTree)).toBe('/login');
  });
});

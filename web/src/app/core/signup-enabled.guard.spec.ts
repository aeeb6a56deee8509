import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot, UrlTree } from '@angular/router';

import { setUpApp } from '../testing/test-setup';
import { signupEnabledGuard } from './signup-enabled.guard';

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

import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';

import { ConfigService } from './app-config';
import { AuthService } from './auth.service';

/**
 * Lets a logged-in user through; otherwise goes to `/login?returnUrl=...` (with
 * `reason=expired` when a stored session has run out, after clearing it).
 */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  if (auth.isLoggedIn()) {
    return true;
  }
  const expired = auth.getExpiration() !== null;
  if (expired) {
    auth.logout();
  }
  return inject(Router).createUrlTree(['/login'], {
    queryParams: { returnUrl: state.url, ...(expired ? { reason: 'expired' } : {}) },
  });
};

/** Opens the sign-up page only when the auth server accepts sign-ups. */
export const signupEnabledGuard: CanActivateFn = () =>
  inject(ConfigService).value.signupEnabled || inject(Router).createUrlTree(['/login']);

import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';

import { ConfigService } from './app-config';

/** Opens the sign-up page only when the auth server accepts sign-ups. */
export const signupEnabledGuard: CanActivateFn = () =>
  inject(ConfigService).value.signupEnabled || inject(Router).createUrlTree(['/login']);

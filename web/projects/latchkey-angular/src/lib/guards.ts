import { inject } from '@angular/core';
import { CanActivateFn, Router, RouterStateSnapshot, UrlTree } from '@angular/router';
import { Observable, catchError, map, of } from 'rxjs';

import { AuthService } from './auth.service';
import { CodeFlowService } from './code-flow.service';
import { LatchkeyConfig } from './options';

/** The login route with the page to come back to, clearing a stored session that ran out. */
function toLogin(returnUrl: string): UrlTree {
  const auth = inject(AuthService);
  const expired = auth.getExpiration() !== null;
  if (expired) {
    auth.logout();
  }
  return inject(Router).createUrlTree([inject(LatchkeyConfig).value.loginPath], {
    queryParams: { returnUrl, ...(expired ? { reason: 'expired' } : {}) },
  });
}

/**
 * Lets a logged-in user through; otherwise goes to the login route with `?returnUrl=` (and
 * `reason=expired` when a stored session has run out, after clearing it).
 */
export const authGuard: CanActivateFn = (_route, state) =>
  inject(AuthService).isLoggedIn() || toLogin(state.url);

/**
 * Like {@link authGuard}, and the session must have every role given (from the token's `roles`
 * claim). A logged-in user without them is sent to `homePath` (a page typed into the address bar
 * would otherwise stay blank), so `homePath` itself must not need the role. For what the page
 * shows only: the API must check the role again.
 *
 * ```ts
 * { path: 'admin', canActivate: [roleGuard('admin')], component: AdminPage }
 * ```
 */
export function roleGuard(...roles: string[]): CanActivateFn {
  return (_route, state) => {
    const auth = inject(AuthService);
    if (!auth.isLoggedIn()) {
      return toLogin(state.url);
    }
    return (
      roles.every((role) => auth.hasRole(role)) ||
      inject(Router).parseUrl(inject(LatchkeyConfig).value.homePath)
    );
  };
}

/**
 * The route the auth server's `/authorize` answers to with the code flow (`codeFlow.redirectPath`):
 * redeems the code (see `CodeFlowService.complete`), then goes where the sign-in started, or to
 * the login route with `?reason=code_flow` when the answer is refused.
 *
 * ```ts
 * { path: 'auth/code', canActivate: [codeFlowCallbackGuard], children: [] }
 * ```
 */
export const codeFlowCallbackGuard: CanActivateFn = (
  _route,
  state: RouterStateSnapshot,
): Observable<UrlTree> => {
  const router = inject(Router);
  const { loginPath } = inject(LatchkeyConfig).value;
  const query = state.url.includes('?') ? state.url.slice(state.url.indexOf('?') + 1) : '';
  return inject(CodeFlowService)
    .complete(new URLSearchParams(query))
    .pipe(
      map((returnUrl) => router.parseUrl(returnUrl)),
      catchError(() =>
        of(router.createUrlTree([loginPath], { queryParams: { reason: 'code_flow' } })),
      ),
    );
};

/**
 * The route the auth server's hosted login page sends the browser back to (its `return_to`):
 * asks the auth server for the session its cookie holds, then goes to `homePath`, or to the
 * login route with `?reason=hosted` when there is none.
 *
 * ```ts
 * { path: 'auth/callback', canActivate: [hostedLoginCallbackGuard], children: [] }
 * ```
 */
export const hostedLoginCallbackGuard: CanActivateFn = (): Observable<UrlTree> => {
  const router = inject(Router);
  const { homePath, loginPath } = inject(LatchkeyConfig).value;
  return inject(AuthService)
    .checkSession()
    .pipe(
      map(() => router.parseUrl(homePath)),
      catchError(() =>
        of(router.createUrlTree([loginPath], { queryParams: { reason: 'hosted' } })),
      ),
    );
};

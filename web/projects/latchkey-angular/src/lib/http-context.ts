import { HttpContext, HttpContextToken } from '@angular/common/http';

/**
 * Marks calls to the auth server's own endpoints (login, logout, refresh, signup,
 * session): their 401s mean "wrong password" or "no session", not "your session
 * just ended", so the interceptor must not log out and redirect on them.
 */
export const AUTH_ENDPOINT = new HttpContextToken<boolean>(() => false);

export function authEndpointContext(): HttpContext {
  return new HttpContext().set(AUTH_ENDPOINT, true);
}

/** Angular's XSRF double-submit names, as the auth server sets them (issue 5). */
export const XSRF_COOKIE_NAME = 'XSRF-TOKEN';
export const XSRF_HEADER_NAME = 'X-XSRF-TOKEN';

/**
 * The body of every POST to the auth server's session routes (`/api/logout`, `/api/refresh`,
 * `/api/refresh/logout`): `{}`, so that HttpClient sends `Content-Type: application/json`. The
 * server refuses what a cross-site form could send (neither that type nor a custom header), and
 * a `null` body carries no content type at all.
 */
export const JSON_POST_BODY: Readonly<Record<string, never>> = Object.freeze({});

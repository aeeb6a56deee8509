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

/**
 * Marks the auth server's calls that open or renew a session (login, second step, refresh,
 * session): with DPoP on, they carry a proof, so that the session is bound to this browser's key.
 * (Any request sent with `Authorization: DPoP` carries one anyway.)
 */
export const DPOP_PROOF = new HttpContextToken<boolean>(() => false);

/** The key a request's proof is signed with, when not the current one (a logout's). */
export const DPOP_KEY = new HttpContextToken<Promise<CryptoKeyPair> | null>(() => null);

/** {@link authEndpointContext} for a call that opens or renews a session. */
export function sessionEndpointContext(): HttpContext {
  return authEndpointContext().set(DPOP_PROOF, true);
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

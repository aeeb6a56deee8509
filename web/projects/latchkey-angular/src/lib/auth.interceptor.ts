import { DOCUMENT } from '@angular/common';
import {
  HttpErrorResponse,
  HttpEvent,
  HttpHandlerFn,
  HttpHeaderResponse,
  HttpInterceptorFn,
  HttpRequest,
  HttpResponse,
  HttpStatusCode,
  HttpXsrfTokenExtractor,
} from '@angular/common/http';
import { inject } from '@angular/core';
import {
  Observable,
  catchError,
  defer,
  from,
  retry,
  switchMap,
  tap,
  throwError,
  timer,
} from 'rxjs';

import { AuthService } from './auth.service';
import { DPOP_HEADER, DPOP_TOKEN_TYPE, DpopProofs, isNonceChallenge } from './dpop';
import { AUTH_ENDPOINT, DPOP_KEY, DPOP_PROOF, XSRF_HEADER_NAME } from './http-context';
import { retryAfterSeconds } from './http-errors';
import { LatchkeyConfig } from './options';
import { requestOrigin } from './urls';

/** Methods that change nothing, so need no XSRF header (Angular's own rule). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The verifier's 503 codes: the token was not judged (keys unavailable, or a new key the
 * rate-limited refetch could not check yet), so the request never reached the handler.
 */
const NOT_JUDGED = new Set(['keys_unavailable', 'key_refetch_limited']);

/** The longest a retry waits, whatever `Retry-After` says: the user is waiting. */
export const MAX_RETRY_WAIT_MS = 10_000;

/**
 * How long to wait before the one retry of a failed API request, or null for no retry: a 503
 * with `Retry-After` that the verifier answered without judging the token (any method), or any
 * such 503 to a safe method; the wait is `Retry-After`, capped at {@link MAX_RETRY_WAIT_MS}.
 */
export function retryDelayMs(error: unknown, method: string): number | null {
  if (!(error instanceof HttpErrorResponse) || error.status !== HttpStatusCode.ServiceUnavailable) {
    return null;
  }
  const seconds = retryAfterSeconds(error);
  if (seconds === null) {
    return null;
  }
  const body = error.error as { error?: unknown } | null;
  const code = typeof body === 'object' && body !== null ? body.error : undefined;
  const notJudged = typeof code === 'string' && NOT_JUDGED.has(code);
  if (!notJudged && !SAFE_METHODS.has(method)) {
    return null;
  }
  return Math.min(seconds * 1000, MAX_RETRY_WAIT_MS);
}

/**
 * Sends the session with each request to our own API, and to nothing else.
 *
 * - A request is "for our API" when it goes to this page's origin (a relative URL) or to
 *   an origin listed in `apiOrigins`. Any other origin — a CDN, a third party, even the
 *   auth server unless it is listed — never sees the token.
 * - Body mode: adds `Authorization: Bearer <id_token>` to API requests; with the `dpop` option
 *   and a bound token, `Authorization: DPoP <id_token>` and a fresh `DPoP` proof instead. The
 *   auth server's session calls get a proof too, and a refusal asking for the server's nonce
 *   (`use_dpop_nonce`) is retried once with it.
 * - Cookie mode: the browser sends the HttpOnly cookie; this sends API and auth-server
 *   requests `withCredentials` and, on unsafe methods, copies the `XSRF-TOKEN` cookie
 *   into `X-XSRF-TOKEN` (Angular's own XSRF interceptor does that for same-origin
 *   requests only).
 * - A 503 with `Retry-After` from the API (e.g. keys briefly unavailable after an emergency
 *   key revocation) is retried once after `Retry-After` (at most 10 s), not taken as a
 *   lost session.
 * - A 401 from the API ends the session and returns to the login route.
 *
 * `provideLatchkey()` registers it.
 */
export const latchkeyInterceptor: HttpInterceptorFn = (req, next) => {
  const config = inject(LatchkeyConfig);
  const auth = inject(AuthService);
  const pageHref = inject(DOCUMENT).location?.href ?? '';
  const { apiOrigins, delivery, dpop } = config.value;

  const pageOrigin = requestOrigin('/', pageHref);
  const target = requestOrigin(req.url, pageHref);
  const toApi = target !== null && (target === pageOrigin || apiOrigins.includes(target));
  const authOrigin = config.authOrigin === '' ? pageOrigin : config.authOrigin;
  const toAuthServer = target !== null && target === authOrigin;

  if (delivery === 'body') {
    const authorization = toApi ? auth.getAuthorization() : null;
    if (authorization !== null && !req.headers.has('Authorization')) {
      req = req.clone({ setHeaders: { Authorization: authorization } });
    }
  } else if (toApi || toAuthServer) {
    const crossOrigin = target !== pageOrigin;
    if (crossOrigin && !req.withCredentials) {
      req = req.clone({ withCredentials: true });
    }
    if (!SAFE_METHODS.has(req.method) && !req.headers.has(XSRF_HEADER_NAME)) {
      const xsrf = inject(HttpXsrfTokenExtractor).getToken();
      if (xsrf !== null) {
        req = req.clone({ setHeaders: { [XSRF_HEADER_NAME]: xsrf } });
      }
    }
  }

  // proofs go to our own servers only: the API's origins and the auth server
  const signs =
    (toApi || toAuthServer) &&
    !req.headers.has(DPOP_HEADER) &&
    (dpopToken(req) !== null || (dpop && req.context.get(DPOP_PROOF)));
  const send = signs
    ? withProof(req, new URL(req.url, pageHref).href, next, inject(DpopProofs))
    : next(req);
  if (!toApi || req.context.get(AUTH_ENDPOINT)) {
    return send;
  }
  const method = req.method;
  return send.pipe(
    retry({
      count: 1,
      delay: (error: unknown) => {
        const wait = retryDelayMs(error, method);
        return wait === null ? throwError(() => error) : timer(wait);
      },
    }),
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === HttpStatusCode.Unauthorized) {
        auth.endSession('unauthorized');
      }
      return throwError(() => error);
    }),
  );
};

/** The token of an `Authorization: DPoP <token>` header, or null. */
function dpopToken(req: HttpRequest<unknown>): string | null {
  const authorization = req.headers.get('Authorization');
  const prefix = `${DPOP_TOKEN_TYPE} `;
  return authorization?.startsWith(prefix) ? authorization.slice(prefix.length) : null;
}

/**
 * Sends the request with a fresh proof, made on each subscription (a retried request never
 * replays a proof); keeps any `DPoP-Nonce` the server answers with, and retries once, with a new
 * proof carrying it, when the server refused for want of that nonce.
 */
function withProof(
  req: HttpRequest<unknown>,
  url: string,
  next: HttpHandlerFn,
  proofs: DpopProofs,
): Observable<HttpEvent<unknown>> {
  const attempt = () =>
    defer(() =>
      from(
        proofs.proof({
          method: req.method,
          url,
          accessToken: dpopToken(req),
          key: req.context.get(DPOP_KEY),
        }),
      ),
    ).pipe(
      switchMap((proof) => next(req.clone({ setHeaders: { [DPOP_HEADER]: proof } }))),
      tap((event) => {
        if (event instanceof HttpResponse || event instanceof HttpHeaderResponse) {
          proofs.noteNonce(url, event.headers);
        }
      }),
    );
  const noteNonce = (error: unknown) =>
    error instanceof HttpErrorResponse && proofs.noteNonce(url, error.headers);
  return attempt().pipe(
    catchError((error: unknown) => {
      if (!noteNonce(error) || !isNonceChallenge(error)) {
        return throwError(() => error);
      }
      return attempt().pipe(
        catchError((again: unknown) => {
          noteNonce(again);
          return throwError(() => again);
        }),
      );
    }),
  );
}

import { DOCUMENT } from '@angular/common';
import {
  HttpErrorResponse,
  HttpInterceptorFn,
  HttpStatusCode,
  HttpXsrfTokenExtractor,
} from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';

import { AuthService } from './auth.service';
import { AUTH_ENDPOINT, XSRF_HEADER_NAME } from './http-context';
import { LatchkeyConfig } from './options';
import { requestOrigin } from './urls';

/** Methods that change nothing, so need no XSRF header (Angular's own rule). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sends the session with each request to our own API, and to nothing else.
 *
 * - A request is "for our API" when it goes to this page's origin (a relative URL) or to
 *   an origin listed in `apiOrigins`. Any other origin — a CDN, a third party, even the
 *   auth server unless it is listed — never sees the token.
 * - Body mode: adds `Authorization: Bearer <id_token>` to API requests.
 * - Cookie mode: the browser sends the HttpOnly cookie; this sends API and auth-server
 *   requests `withCredentials` and, on unsafe methods, copies the `XSRF-TOKEN` cookie
 *   into `X-XSRF-TOKEN` (Angular's own XSRF interceptor does that for same-origin
 *   requests only).
 * - A 401 from the API ends the session and returns to the login route.
 *
 * `provideLatchkey()` registers it.
 */
export const latchkeyInterceptor: HttpInterceptorFn = (req, next) => {
  const config = inject(LatchkeyConfig);
  const auth = inject(AuthService);
  const pageHref = inject(DOCUMENT).location?.href ?? '';
  const { apiOrigins, delivery } = config.value;

  const pageOrigin = requestOrigin('/', pageHref);
  const target = requestOrigin(req.url, pageHref);
  const toApi = target !== null && (target === pageOrigin || apiOrigins.includes(target));
  const authOrigin = config.authOrigin === '' ? pageOrigin : config.authOrigin;
  const toAuthServer = target !== null && target === authOrigin;

  if (delivery === 'body') {
    const token = toApi ? auth.getToken() : null;
    if (token !== null && !req.headers.has('Authorization')) {
      req = req.clone({ setHeaders: { Authorization: `Bearer ${token}` } });
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

  if (!toApi || req.context.get(AUTH_ENDPOINT)) {
    return next(req);
  }
  return next(req).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === HttpStatusCode.Unauthorized) {
        auth.endSession('unauthorized');
      }
      return throwError(() => error);
    }),
  );
};

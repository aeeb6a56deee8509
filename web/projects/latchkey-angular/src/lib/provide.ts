import {
  HttpFeature,
  HttpFeatureKind,
  provideHttpClient,
  withInterceptors,
  withXsrfConfiguration,
} from '@angular/common/http';
import {
  EnvironmentProviders,
  Injector,
  inject,
  makeEnvironmentProviders,
  provideAppInitializer,
} from '@angular/core';

import { latchkeyInterceptor } from './auth.interceptor';
import { AuthService } from './auth.service';
import { XSRF_COOKIE_NAME, XSRF_HEADER_NAME } from './http-context';
import { LATCHKEY_OPTIONS, LatchkeyConfig, LatchkeyOptions } from './options';

/**
 * Options known at build time, or a loader run once while the application starts (in an
 * injection context, so it may `inject()`; capture what it needs before its first `await`).
 */
export type LatchkeyOptionsSource =
  LatchkeyOptions | (() => LatchkeyOptions | Promise<LatchkeyOptions>);

/**
 * Adds Latchkey to an application:
 *
 * - `HttpClient` with the Latchkey interceptor (the session goes to this origin and
 *   `apiOrigins` only) and the XSRF names of the auth server (`XSRF-TOKEN` cookie,
 *   `X-XSRF-TOKEN` header). This calls `provideHttpClient()`: pass any other HTTP feature
 *   (`withFetch()`, `withInterceptors([...])`) here instead of calling it again.
 * - the session (`AuthService`), restored from storage at start-up, with its expiry timer and,
 *   with `refresh: true`, its refresh-ahead timer.
 *
 * ```ts
 * bootstrapApplication(App, {
 *   providers: [
 *     provideRouter(routes),
 *     provideLatchkey({ authUrl: 'https://auth.example.com', apiOrigins: ['https://api.example.com'] }),
 *   ],
 * });
 * ```
 */
export function provideLatchkey(
  options: LatchkeyOptionsSource,
  ...httpFeatures: HttpFeature<HttpFeatureKind>[]
): EnvironmentProviders {
  return makeEnvironmentProviders([
    typeof options === 'function' ? [] : { provide: LATCHKEY_OPTIONS, useValue: options },
    provideHttpClient(
      withInterceptors([latchkeyInterceptor]),
      withXsrfConfiguration({ cookieName: XSRF_COOKIE_NAME, headerName: XSRF_HEADER_NAME }),
      ...httpFeatures,
    ),
    provideAppInitializer(() => {
      const config = inject(LatchkeyConfig);
      const injector = inject(Injector);
      // Restores the session from storage and starts its timers.
      const start = () => void injector.get(AuthService);
      if (typeof options !== 'function') {
        return start();
      }
      const loaded = options();
      if (loaded instanceof Promise) {
        return loaded.then((settings) => {
          config.set(settings);
          start();
        });
      }
      config.set(loaded);
      return start();
    }),
  ]);
}

import { Routes, provideRouter } from '@angular/router';

import { AuthService } from '../auth.service';
import { LatchkeyConfig, LatchkeyOptions } from '../options';
import { provideLatchkey } from '../provide';
import { API_ORIGIN, AUTH_URL, configureTestBed } from './test-kit';

export { API_ORIGIN, AUTH_URL, setCookie, tokenWith } from './test-kit';

/** The demo's setting: auth server on 9000, API on 8080, body mode. */
export const TEST_OPTIONS: LatchkeyOptions = {
  authUrl: AUTH_URL,
  apiOrigins: [API_ORIGIN],
  delivery: 'body',
};

/**
 * Configures TestBed as an application does (`provideLatchkey()`, router), with the HTTP
 * testing backend; `options` are merged over {@link TEST_OPTIONS}.
 */
export function setUpApp(options: Partial<LatchkeyOptions> = {}, routes: Routes = []) {
  return configureTestBed(
    [provideLatchkey({ ...TEST_OPTIONS, ...options }), provideRouter(routes)],
    AuthService,
    LatchkeyConfig,
  );
}

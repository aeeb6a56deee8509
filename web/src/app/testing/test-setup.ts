import { Provider, inject } from '@angular/core';
import { Routes, provideRouter, withComponentInputBinding } from '@angular/router';
import { AuthService, provideLatchkey } from '@latchkey/angular';

import {
  API_ORIGIN,
  AUTH_URL,
  configureTestBed,
} from '../../../projects/latchkey-angular/src/lib/testing/test-kit';
import { AppConfig, ConfigService, latchkeyOptions } from '../core/app-config';

export {
  API_ORIGIN,
  AUTH_URL,
  setCookie,
  tokenWith,
} from '../../../projects/latchkey-angular/src/lib/testing/test-kit';

/** The configuration of the demo: auth server on 9000, API on 8080. */
export const DEMO_CONFIG: Partial<AppConfig> = {
  authUrl: AUTH_URL,
  apiOrigins: [API_ORIGIN],
  delivery: 'body',
  signupEnabled: true,
  hostedLoginUrl: `${AUTH_URL}/login`,
};

/**
 * Configures TestBed like app.config.ts (Latchkey, router), with the HTTP testing backend and
 * the given runtime configuration in place of /config.json.
 */
export function setUpApp(
  config: Partial<AppConfig> = DEMO_CONFIG,
  routes: Routes = [],
  providers: Provider[] = [],
) {
  return configureTestBed(
    [
      ...providers,
      provideRouter(routes, withComponentInputBinding()),
      provideLatchkey(() => {
        const service = inject(ConfigService);
        service.set({ ...DEMO_CONFIG, ...config });
        return latchkeyOptions(service.value);
      }),
    ],
    AuthService,
    ConfigService,
  );
}

import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, Routes, provideRouter, withComponentInputBinding } from '@angular/router';
import { AuthService, provideLatchkey } from '@latchkey/angular';

import { AppConfig, ConfigService, latchkeyOptions } from '../core/app-config';

export const AUTH_URL = 'http://localhost:9000';
export const API_ORIGIN = 'http://localhost:8080';

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
export function setUpApp(config: Partial<AppConfig> = DEMO_CONFIG, routes: Routes = []) {
  TestBed.configureTestingModule({
    providers: [
      provideRouter(routes, withComponentInputBinding()),
      provideLatchkey(() => {
        const service = inject(ConfigService);
        service.set({ ...DEMO_CONFIG, ...config });
        return latchkeyOptions(service.value);
      }),
      provideHttpClientTesting(),
    ],
  });
  return {
    http: TestBed.inject(HttpTestingController),
    auth: TestBed.inject(AuthService),
    router: TestBed.inject(Router),
    config: TestBed.inject(ConfigService),
  };
}

/** Sets (or with an empty value, deletes) a cookie in the test document. */
export function setCookie(name: string, value: string): void {
  document.cookie =
    value === ''
      ? `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
      : `${name}=${value}; path=/`;
}

/** An unsigned JWT-shaped token with these claims (the client reads claims, never checks). */
export function tokenWith(claims: Record<string, unknown>): string {
  const b64url = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${b64url({ alg: 'RS256', typ: 'at+jwt' })}.${b64url(claims)}.c2ln`;
}

import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, Routes, provideRouter } from '@angular/router';

import { AuthService } from '../auth.service';
import { LatchkeyConfig, LatchkeyOptions } from '../options';
import { provideLatchkey } from '../provide';

export const AUTH_URL = 'http://localhost:9000';
export const API_ORIGIN = 'http://localhost:8080';

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
  TestBed.configureTestingModule({
    providers: [
      provideLatchkey({ ...TEST_OPTIONS, ...options }),
      provideHttpClientTesting(),
      provideRouter(routes),
    ],
  });
  return {
    http: TestBed.inject(HttpTestingController),
    auth: TestBed.inject(AuthService),
    router: TestBed.inject(Router),
    config: TestBed.inject(LatchkeyConfig),
  };
}

/** Sets (or with an empty value, deletes) a cookie in the test document. */
export function setCookie(name: string, value: string): void {
  document.cookie =
    value === ''
      ? `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
      : `${name}=${value}; path=/`;
}

/** A JWT-shaped token with the given claims (unsigned: the client never checks signatures). */
export function tokenWith(claims: Record<string, unknown>): string {
  const b64url = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${b64url({ alg: 'RS256', typ: 'at+jwt' })}.${b64url(claims)}.c2ln`;
}

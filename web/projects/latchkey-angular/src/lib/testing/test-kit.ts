import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider, ProviderToken } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

/**
 * What the library's and the application's test set-ups share. It imports nothing of the library
 * itself: the application's tests use the built `@latchkey/angular`, the library's tests its
 * sources, so each set-up passes its own `AuthService` and configuration token.
 */

export const AUTH_URL = 'http://localhost:9000';
export const API_ORIGIN = 'http://localhost:8080';

/**
 * Configures TestBed with these providers and the HTTP testing backend, and returns what the
 * tests drive: the HTTP backend, the auth service, the router and the configuration.
 */
export function configureTestBed<A, C>(
  providers: (Provider | EnvironmentProviders)[],
  auth: ProviderToken<A>,
  config: ProviderToken<C>,
) {
  TestBed.configureTestingModule({ providers: [...providers, provideHttpClientTesting()] });
  return {
    http: TestBed.inject(HttpTestingController),
    auth: TestBed.inject(auth),
    router: TestBed.inject(Router),
    config: TestBed.inject(config),
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

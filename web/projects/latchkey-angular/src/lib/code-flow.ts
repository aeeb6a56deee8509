import { HttpClient, HttpHeaders, HttpParams } from '@angular/common/http';
import { InjectionToken } from '@angular/core';
import { Observable, map } from 'rxjs';

import { authEndpointContext } from './http-context';
import { CodeFlowSettings } from './options';
import { LatchkeyStorage } from './storage';

/** Where the code flow keeps the refresh token (rotated by every refresh). */
export const REFRESH_TOKEN_KEY = 'refresh_token';
/** Where the code flow keeps the ID token, the hint of the auth server's logout. */
export const OIDC_ID_TOKEN_KEY = 'oidc_id_token';

/** How the browser leaves for the auth server (replaced in tests). */
export const LATCHKEY_NAVIGATE = new InjectionToken<(url: string) => void>('LATCHKEY_NAVIGATE', {
  providedIn: 'root',
  factory: () => (url: string) => globalThis.location.assign(url),
});

/** What `POST /token` answers (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3). */
export interface TokenAnswer {
  readonly access_token: string;
  readonly expires_in: number;
  readonly refresh_token?: string;
  readonly id_token?: string;
}

/** Random characters for PKCE's verifier, `state` and `nonce` (RFC 7636: 43 to 128). */
export function randomValue(bytes = 32): string {
  const random = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(random);
  return base64Url(random);
}

/** The S256 challenge of a PKCE verifier. */
export async function s256(verifier: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(verifier),
  );
  return base64Url(new Uint8Array(digest));
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** This page's origin plus an application path: the redirect URIs registered at the server. */
export function appUrl(path: string): string {
  return `${globalThis.location.origin}${path}`;
}

/**
 * Posts a grant to the token endpoint as a public client, and keeps the refresh token and ID
 * token it answers; emits the answer.
 */
export function tokenRequest(
  http: HttpClient,
  authUrl: string,
  flow: CodeFlowSettings,
  storage: LatchkeyStorage,
  grant: Record<string, string>,
): Observable<TokenAnswer> {
  const body = new HttpParams({ fromObject: { ...grant, client_id: flow.clientId } });
  return http
    .post<TokenAnswer>(`${authUrl}/token`, body.toString(), {
      headers: new HttpHeaders({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      context: authEndpointContext(),
    })
    .pipe(
      map((answer) => {
        if (typeof answer?.access_token !== 'string' || !(Number(answer.expires_in) > 0)) {
          throw new Error('The token endpoint answered without an access token');
        }
        if (typeof answer.refresh_token === 'string') {
          storage.setItem(REFRESH_TOKEN_KEY, answer.refresh_token);
        }
        if (typeof answer.id_token === 'string') {
          storage.setItem(OIDC_ID_TOKEN_KEY, answer.id_token);
        }
        return answer;
      }),
    );
}

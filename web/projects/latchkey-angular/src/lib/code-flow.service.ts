import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, defer, map, throwError } from 'rxjs';

import { AuthService } from './auth.service';
import {
  LATCHKEY_NAVIGATE,
  OIDC_ID_TOKEN_KEY,
  REFRESH_TOKEN_KEY,
  appUrl,
  randomValue,
  s256,
  tokenRequest,
} from './code-flow';
import { jwtClaims } from './jwt';
import { CodeFlowSettings, LatchkeyConfig } from './options';
import { safeReturnUrl } from './urls';

/** What a sign-in waits for while the browser is at the auth server (sessionStorage). */
const PENDING_KEY = 'latchkey_code_flow';

interface Pending {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly returnUrl: string;
}

/**
 * Signing in with the authorization code flow and PKCE (`provideLatchkey({ codeFlow })`): the
 * browser goes to the auth server's `/authorize` (its hosted login page, or straight back with
 * single sign-on), comes back to the callback route with a code, which is redeemed at `/token`.
 * The access token is the session ({@link AuthService}); refreshes go to `/token` too.
 */
@Injectable({ providedIn: 'root' })
export class CodeFlowService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(LatchkeyConfig);
  private readonly auth = inject(AuthService);
  private readonly navigate = inject(LATCHKEY_NAVIGATE);

  /** Sends the browser to the auth server to sign in; `returnUrl` is where it ends. */
  async signIn(returnUrl?: string): Promise<void> {
    const flow = this.flow();
    const pending: Pending = {
      verifier: randomValue(48),
      state: randomValue(),
      nonce: randomValue(),
      returnUrl: safeReturnUrl(returnUrl, this.config.value.homePath, this.config.value.loginPath),
    };
    const challenge = await s256(pending.verifier);
    globalThis.sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: flow.clientId,
      redirect_uri: appUrl(flow.redirectPath),
      scope: flow.scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    this.navigate(`${this.config.value.authUrl}/authorize?${query}`);
  }

  /**
   * Finishes a sign-in on the callback route: checks `state` (and `iss`, RFC 9207), redeems the
   * code with the PKCE verifier, checks the ID token's `nonce` and `aud`, and opens the session.
   * Emits where to go next. The pending sign-in is spent whatever happens.
   */
  complete(params: URLSearchParams): Observable<string> {
    return defer(() => {
      const flow = this.flow();
      const stored = globalThis.sessionStorage.getItem(PENDING_KEY);
      globalThis.sessionStorage.removeItem(PENDING_KEY);
      const pending = stored === null ? null : (JSON.parse(stored) as Pending);
      if (pending === null || params.get('state') !== pending.state) {
        return throwError(() => new Error('No sign-in of this browser waits for this answer'));
      }
      const issuer = params.get('iss');
      if (issuer !== null && issuer !== this.config.value.authUrl) {
        return throwError(() => new Error('The answer comes from another issuer'));
      }
      const error = params.get('error');
      const code = params.get('code');
      if (error !== null || code === null) {
        return throwError(() => new Error(`The auth server refused: ${error ?? 'no code'}`));
      }
      return tokenRequest(this.http, this.config.value.authUrl, flow, this.storage(), {
        grant_type: 'authorization_code',
        code,
        redirect_uri: appUrl(flow.redirectPath),
        code_verifier: pending.verifier,
      }).pipe(
        map((answer) => {
          const claims = jwtClaims(answer.id_token);
          const audience = claims?.['aud'];
          const forUs = Array.isArray(audience)
            ? audience.includes(flow.clientId)
            : audience === flow.clientId;
          if (claims === null || claims['nonce'] !== pending.nonce || !forUs) {
            this.storage().removeItem(REFRESH_TOKEN_KEY);
            throw new Error('The ID token is not the answer to this sign-in');
          }
          this.auth.setSession({ idToken: answer.access_token, expiresIn: answer.expires_in });
          return pending.returnUrl;
        }),
      );
    });
  }

  /**
   * Signs out here and at the auth server: the session ends as with `AuthService.logout()`, then
   * the browser goes to the auth server's `/logout` (RP-initiated logout), which ends its
   * single-sign-on session and comes back to `postLogoutPath`.
   */
  signOut(): void {
    const flow = this.flow();
    const hint = this.storage().getItem(OIDC_ID_TOKEN_KEY);
    this.storage().removeItem(OIDC_ID_TOKEN_KEY);
    this.storage().removeItem(REFRESH_TOKEN_KEY);
    this.auth.logout();
    const query = new URLSearchParams({
      client_id: flow.clientId,
      post_logout_redirect_uri: appUrl(flow.postLogoutPath),
    });
    if (hint !== null) {
      query.set('id_token_hint', hint);
    }
    this.navigate(`${this.config.value.authUrl}/logout?${query}`);
  }

  private flow(): CodeFlowSettings {
    const flow = this.config.value.codeFlow;
    if (flow === null) {
      throw new Error('Latchkey: the code flow is off (provideLatchkey({ codeFlow }))');
    }
    return flow;
  }

  private storage() {
    return this.config.value.storage;
  }
}

import { HttpClient, HttpHeaders } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { AuthService, LoginResponse } from './auth.service';
import { authEndpointContext } from './http-context';
import { LatchkeyConfig } from './options';

/**
 * The auth server's account flows (`docs/accounts.md`): confirming an email address, asking for
 * a new link, resetting a forgotten password and changing the password while logged in.
 *
 * Requests that only name an address (`resendVerification`, `requestPasswordReset`) always
 * succeed (202) whether or not the address has an account, so they reveal nothing. Requests with
 * a link's token fail with `400` and `invalid_token`, `token_expired`, `token_used` or
 * `token_superseded`; {@link accountErrorMessage} turns every failure into a sentence.
 */
@Injectable({ providedIn: 'root' })
export class AccountService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(LatchkeyConfig);
  private readonly auth = inject(AuthService);

  /**
   * `POST {authUrl}/api/email-verification/confirm {token, password}`: the address is verified
   * when `password` is the one chosen at sign-up (`403 wrong_password` otherwise): following the
   * link alone must not make usable a password someone else chose.
   */
  confirmEmail(token: string, password: string): Observable<void> {
    return this.post('/api/email-verification/confirm', { token, password });
  }

  /** `POST {authUrl}/api/email-verification {email}`: a fresh link, when one is due. */
  resendVerification(email: string): Observable<void> {
    return this.post('/api/email-verification', { email: email.trim() });
  }

  /** `POST {authUrl}/api/password-reset {email}`: a reset link, when the account exists. */
  requestPasswordReset(email: string): Observable<void> {
    return this.post('/api/password-reset', { email: email.trim() });
  }

  /**
   * `POST {authUrl}/api/password-reset/confirm {token, password}`: the password is set and every
   * session of the user ends (log in again afterwards).
   */
  confirmPasswordReset(token: string, password: string): Observable<void> {
    return this.post('/api/password-reset/confirm', { token, password });
  }

  /**
   * `POST {authUrl}/api/password {currentPassword, newPassword}` for the logged-in user: every
   * session ends, this one too, and the answer carries a new session (as a login's), which is
   * stored here. Body mode sends the token as `Authorization: Bearer` (or `DPoP` with a proof,
   * for a bound token); cookie mode sends the session cookie (the interceptor adds
   * `X-XSRF-TOKEN`) and gets new cookies.
   */
  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    const authorization = this.auth.getAuthorization();
    const headers =
      authorization === null ? undefined : new HttpHeaders({ Authorization: authorization });
    return this.postFor<LoginResponse>(
      '/api/password',
      { currentPassword, newPassword },
      headers,
    ).pipe(map((session) => this.auth.setSession(session)));
  }

  private post(path: string, body: object, headers?: HttpHeaders): Observable<void> {
    return this.postFor<unknown>(path, body, headers).pipe(map(() => undefined));
  }

  private postFor<T>(path: string, body: object, headers?: HttpHeaders): Observable<T> {
    const settings = this.config.value;
    return this.http.post<T>(`${settings.authUrl}${path}`, body, {
      headers,
      withCredentials: settings.delivery === 'cookie',
      context: authEndpointContext(),
    });
  }
}

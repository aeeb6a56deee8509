import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { AuthService } from './auth.service';
import type { Passkey } from './passkey.service';
import { LatchkeyConfig } from './options';
import { signedInRequest } from './signed-in';

/** What the logged-in user has on (`GET /api/mfa`). */
export interface SecondFactorSummary {
  readonly totp: boolean;
  readonly passkeys: readonly Passkey[];
  readonly recoveryCodesLeft: number;
}

/**
 * A started TOTP enrolment: the secret (base32, for typing in) and the `otpauth://` URI that a
 * QR code carries. Shown once; TOTP is on only after {@link SecondFactorService.confirmTotp}.
 */
export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauthUri: string;
}

/** The proof that removing TOTP takes: a current code from the app, or the password. */
export type TotpRemovalProof = { readonly code: string } | { readonly password: string };

/**
 * The logged-in user's second factors on the auth server (`docs/second-factors.md`): TOTP
 * enrolment (start, confirm → recovery codes), removal and fresh recovery codes. Body mode sends
 * the token as `Authorization: Bearer` (`DPoP` with a proof, for a bound token); cookie mode
 * sends the session cookie (the interceptor adds `X-XSRF-TOKEN`). Failures carry `invalid_code` (401), `too_many_attempts` (429),
 * `wrong_password` (403) or a state conflict (409); {@link accountErrorMessage} words them.
 */
@Injectable({ providedIn: 'root' })
export class SecondFactorService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(LatchkeyConfig);
  private readonly auth = inject(AuthService);

  /** `GET {authUrl}/api/mfa`. */
  summary(): Observable<SecondFactorSummary> {
    return this.http.get<SecondFactorSummary>(this.url('/api/mfa'), this.options());
  }

  /** `POST {authUrl}/api/mfa/totp`: a new secret; an earlier unconfirmed one is replaced. */
  startTotp(): Observable<TotpEnrolment> {
    return this.http.post<TotpEnrolment>(this.url('/api/mfa/totp'), null, this.options());
  }

  /**
   * `POST {authUrl}/api/mfa/totp/confirm {code}`: TOTP is on; emits the recovery codes, to show
   * once (the server keeps only their hashes).
   */
  confirmTotp(code: string): Observable<readonly string[]> {
    return this.http
      .post<{ recoveryCodes: string[] }>(
        this.url('/api/mfa/totp/confirm'),
        { code: code.replace(/\s+/g, '') },
        this.options(),
      )
      .pipe(map((answer) => answer.recoveryCodes));
  }

  /** `DELETE {authUrl}/api/mfa/totp` with a current code or the password: TOTP is off. */
  removeTotp(proof: TotpRemovalProof): Observable<SecondFactorSummary> {
    const body = 'code' in proof ? { code: proof.code.replace(/\s+/g, '') } : proof;
    return this.http.delete<SecondFactorSummary>(this.url('/api/mfa/totp'), {
      ...this.options(),
      body,
    });
  }

  /** `POST {authUrl}/api/mfa/recovery-codes {code}`: new codes; the old ones stop working. */
  regenerateRecoveryCodes(code: string): Observable<readonly string[]> {
    return this.http
      .post<{ recoveryCodes: string[] }>(
        this.url('/api/mfa/recovery-codes'),
        { code: code.replace(/\s+/g, '') },
        this.options(),
      )
      .pipe(map((answer) => answer.recoveryCodes));
  }

  private url(path: string): string {
    return `${this.config.value.authUrl}${path}`;
  }

  private options() {
    return signedInRequest(this.config, this.auth);
  }
}

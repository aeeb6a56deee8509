import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map, switchMap } from 'rxjs';

import { AuthService } from './auth.service';
import { JSON_POST_BODY } from './http-context';
import { LatchkeyConfig } from './options';
import { signedInRequest } from './signed-in';
import { createPasskey } from './webauthn';

/** A passkey of the logged-in user, as the auth server lists it. */
export interface Passkey {
  readonly id: string;
  /** The name the user gave it when adding it. */
  readonly name: string;
  /** When it was added (ISO 8601). */
  readonly createdAt: string;
  /** When it last signed in (ISO 8601), null before its first use. */
  readonly lastUsedAt?: string | null;
  /** How the browser may reach it (`internal`, `hybrid`, `usb`, ...). */
  readonly transports?: readonly string[];
  /** Whether it is synced between devices (backup eligible): tokens say `swk`, else `hwk`. */
  readonly synced?: boolean;
}

/** What the list and the removal answer. */
interface PasskeyList {
  readonly passkeys: readonly Passkey[];
}

/**
 * The logged-in user's passkeys on the auth server (`docs/second-factors.md`): list, add (the
 * browser creates the key, the server keeps its public half) and remove. Body mode sends the
 * token as `Authorization: Bearer`; cookie mode sends the session cookie (the interceptor adds
 * `X-XSRF-TOKEN`). Signing in with one is on {@link AuthService}: `loginWithPasskey()` and
 * `completeSecondFactorWithPasskey()`.
 */
@Injectable({ providedIn: 'root' })
export class PasskeyService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(LatchkeyConfig);
  private readonly auth = inject(AuthService);

  /** `GET {authUrl}/api/passkeys`, oldest first. */
  list(): Observable<readonly Passkey[]> {
    return this.http
      .get<PasskeyList>(this.url('/api/passkeys'), this.options())
      .pipe(map((answer) => answer.passkeys));
  }

  /**
   * Adds a passkey named `name`: `POST {authUrl}/api/passkeys/registration/options`, the
   * browser's dialog creates the key (its authenticator verifies the user), then `POST
   * {authUrl}/api/passkeys/registration` with the new credential's `toJSON()` and `name`; emits
   * the stored passkey. Each subscription runs one ceremony. The browser refusing (cancelled, or
   * a passkey of this authenticator is already registered: `InvalidStateError`) fails with its
   * `DOMException`; the server with `400 passkey_refused`, `409 passkey_exists` or `409
   * too_many_passkeys`.
   */
  add(name: string): Observable<Passkey> {
    return this.http
      .post<PublicKeyCredentialCreationOptionsJSON>(
        this.url('/api/passkeys/registration/options'),
        JSON_POST_BODY,
        this.options(),
      )
      .pipe(
        switchMap((options) => createPasskey(options)),
        switchMap((credential) =>
          this.http.post<Passkey>(
            this.url('/api/passkeys/registration'),
            { ...credential, name: name.trim() },
            this.options(),
          ),
        ),
      );
  }

  /**
   * `DELETE {authUrl}/api/passkeys/{id}`: it no longer signs in (`404 unknown_passkey` if it was
   * gone); emits the passkeys left.
   */
  remove(id: string): Observable<readonly Passkey[]> {
    return this.http
      .delete<PasskeyList>(this.url(`/api/passkeys/${encodeURIComponent(id)}`), this.options())
      .pipe(map((answer) => answer.passkeys));
  }

  private url(path: string): string {
    return `${this.config.value.authUrl}${path}`;
  }

  private options() {
    return signedInRequest(this.config, this.auth);
  }
}

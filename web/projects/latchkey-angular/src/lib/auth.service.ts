import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import {
  Observable,
  catchError,
  concatMap,
  map,
  of,
  retry,
  shareReplay,
  switchMap,
  tap,
  throwError,
} from 'rxjs';

import { DPOP_TOKEN_TYPE, DpopProofs } from './dpop';
import {
  DPOP_KEY,
  JSON_POST_BODY,
  authEndpointContext,
  sessionEndpointContext,
} from './http-context';
import { REFRESH_TOKEN_KEY, tokenRequest } from './code-flow';
import { rolesOf } from './jwt';
import { LatchkeyConfig } from './options';
import { EXPIRES_AT_KEY, ID_TOKEN_KEY, LatchkeyStorage, TOKEN_TYPE_KEY } from './storage';
import { PasskeyCredentialJSON, PasskeyMediation, getPasskey } from './webauthn';

/** What `POST /api/login` (and `/api/refresh`, `/api/session`) answers. */
export interface LoginResponse {
  /** The session JWT; present in body mode, absent in cookie mode. */
  readonly idToken?: string;
  /** Seconds until the session ends. */
  readonly expiresIn: number;
  /** `DPoP` when the token is bound to this browser's key (the `dpop` option); else `Bearer`. */
  readonly tokenType?: string;
}

/**
 * A way to pass the second sign-in step: a code from an authenticator app, a recovery code, or
 * a passkey.
 */
export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';

/**
 * What `login()` emits when the password was right but the account has a second factor: no
 * session yet. Render a code field and call `completeSecondFactor(code)`.
 */
export interface SecondFactorRequired {
  readonly mfaRequired: true;
  /** The methods the code may come from. */
  readonly methods: readonly SecondFactorMethod[];
  /** No session yet (absent: code that reads a login's `idToken` still compiles). */
  readonly idToken?: never;
  readonly expiresIn?: never;
}

/** What `login()` emits: a session, or the second step it waits for. */
export type LoginResult = LoginResponse | SecondFactorRequired;

/** Whether a login result asks for the second step. */
export function isSecondFactorRequired(result: LoginResult): result is SecondFactorRequired {
  return (result as Partial<SecondFactorRequired>).mfaRequired === true;
}

/** `POST /api/login`'s answer for an account with a second factor (the token stays in here). */
interface StepAnswer {
  readonly mfaRequired: true;
  readonly mfaToken: string;
  readonly methods: readonly SecondFactorMethod[];
}

/** A pending second step as the page may show it: the methods and when it ends (epoch ms). */
export interface PendingSecondFactor {
  readonly methods: readonly SecondFactorMethod[];
  readonly expiresAt: number;
}

/** The auth server's passkey sign-in routes (`docs/second-factors.md`). */
const PASSKEY_LOGIN_OPTIONS = '/api/passkeys/login/options';
const PASSKEY_LOGIN = '/api/passkeys/login';
/** The same options route, given the pending step's token: a challenge bound to that step. */
const PASSKEY_STEP_OPTIONS = PASSKEY_LOGIN_OPTIONS;
/** The same route as a code: `{mfaToken, credential}` in place of `{mfaToken, code}`. */
const PASSKEY_STEP = '/api/login/mfa';

/** How long the auth server keeps a pending second step, unless it says otherwise. */
const SECOND_STEP_MS = 5 * 60_000;

/** Why a session ended without the user asking; passed to the login route as `?reason=`. */
export type SessionEndReason = 'expired' | 'unauthorized';

/** The open session: when it ends and, in body mode, its token. */
interface Session {
  readonly expiresAt: number;
  readonly token: string | null;
}

/** setTimeout's longest delay (about 24.8 days); longer waits are done in steps. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;
/** Refresh this long before expiry (or at 80 % of a shorter session). */
const REFRESH_AHEAD_MS = 60_000;

const NO_ROLES: readonly string[] = Object.freeze([]);

/**
 * The session. `login()` posts the credentials once and shares the answer; the session is
 * kept as `id_token` and `expires_at` in the configured storage (cookie mode: only
 * `expires_at`, the token lives in an HttpOnly cookie the script never sees); a timer ends it
 * when it runs out, and with `refresh` renews it shortly before.
 */
/** How often a refresh answered `503` is tried again. */
const REFRESH_RETRIES = 2;

/** The wait before retrying a `503` (its `Retry-After`, 1 to 10 s); any other error ends it. */
function retryAfterUnavailable(error: unknown): Observable<number> {
  if (!(error instanceof HttpErrorResponse) || error.status !== 503) {
    return throwError(() => error);
  }
  const seconds = Number(error.headers?.get('Retry-After') ?? '1');
  const wait = Number.isFinite(seconds) ? Math.min(10, Math.max(1, seconds)) : 1;
  return new Observable<number>((subscriber) => {
    const id = setTimeout(() => {
      subscriber.next(0);
      subscriber.complete();
    }, wait * 1000);
    return () => clearTimeout(id);
  });
}

@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(LatchkeyConfig);
  private readonly router = inject(Router);
  private readonly dpop = inject(DpopProofs);

  private readonly session = signal<Session | null>(null, {
    equal: (a, b) => a?.expiresAt === b?.expiresAt && a?.token === b?.token,
  });
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Observable<LoginResponse> | null = null;
  /** The opaque token of the pending second step: in memory only, never stored. */
  private mfaToken: string | null = null;
  private readonly pendingStep = signal<PendingSecondFactor | null>(null);

  /**
   * The second step a login waits for (after `login()` emitted {@link SecondFactorRequired}),
   * or null: the state the login page renders its code field from.
   */
  readonly secondFactor = this.pendingStep.asReadonly();

  /** True while a session is open. */
  readonly loggedIn = computed(() => this.session() !== null);
  /** When the open session ends (epoch ms), or null. */
  readonly expiresAt = computed(() => this.session()?.expiresAt ?? null);
  /**
   * The session's roles, from the token's `roles` claim; empty without one, when logged out,
   * and in cookie mode (the script cannot read the token). For what the page shows only: the
   * server decides.
   */
  readonly roles = computed(() => {
    const token = this.session()?.token;
    return token ? rolesOf(token) : NO_ROLES;
  });

  constructor() {
    this.configure();
    this.config.onChange(() => this.configure());
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key === ID_TOKEN_KEY || event.key === EXPIRES_AT_KEY) {
        this.dpop.reload(); // another tab logged in or out, and may have changed the key
        this.sync();
      }
    };
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', onStorage);
      inject(DestroyRef).onDestroy(() => {
        window.removeEventListener('storage', onStorage);
        this.clearTimers();
      });
    }
  }

  /**
   * Posts the credentials to the auth server once; every subscriber shares that one answer. Always
   * with credentials, in every mode: the auth server's device cookie (which keeps this browser out
   * of an account lock caused by guesses from elsewhere) must go with it and come back, and so
   * must the cookie that binds a second step to this browser.
   *
   * Emits the session's answer, or {@link SecondFactorRequired} when the account has a second
   * factor: then no session is open, {@link secondFactor} holds the pending step, and
   * {@link completeSecondFactor} finishes the login.
   */
  login(email: string, password: string): Observable<LoginResult> {
    this.clearSecondFactor();
    return this.http
      .post<LoginResponse | StepAnswer>(
        `${this.config.value.authUrl}/api/login`,
        { email, password },
        { withCredentials: true, context: sessionEndpointContext() },
      )
      .pipe(
        map((response): LoginResult => {
          if ((response as Partial<StepAnswer>).mfaRequired === true) {
            const step = response as StepAnswer & { expiresIn?: number };
            this.mfaToken = step.mfaToken;
            const lifetime = Number(step.expiresIn);
            this.pendingStep.set({
              methods: step.methods,
              expiresAt:
                Date.now() + (Number.isFinite(lifetime) ? lifetime * 1000 : SECOND_STEP_MS),
            });
            return { mfaRequired: true, methods: step.methods };
          }
          this.setSession(response as LoginResponse);
          return response as LoginResponse;
        }),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
  }

  /**
   * Finishes a login that asked for a second step with a code from the authenticator app or a
   * recovery code (`POST {authUrl}/api/login/mfa`): the session opens as after `login()`. A wrong
   * code fails with `401 invalid_code` and the step waits on; `410 mfa_expired` (too late, too
   * many wrong codes, another browser) ends the step: log in with the password again.
   */
  completeSecondFactor(code: string): Observable<LoginResponse> {
    const mfaToken = this.mfaToken;
    if (mfaToken === null) {
      return throwError(() => new Error('No second sign-in step is pending: log in first'));
    }
    return this.http
      .post<LoginResponse>(
        `${this.config.value.authUrl}/api/login/mfa`,
        { mfaToken, code: code.replace(/\s+/g, '') },
        { withCredentials: true, context: sessionEndpointContext() },
      )
      .pipe(
        tap({
          next: (response) => {
            this.clearSecondFactor();
            this.setSession(response);
          },
          error: (error: unknown) => {
            if (error instanceof HttpErrorResponse && error.status === 410) {
              this.clearSecondFactor();
            }
          },
        }),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
  }

  /**
   * Finishes a login that asked for a second step with a passkey (when its `methods` include
   * `passkey`): asks the auth server for a challenge bound to the pending step (`POST
   * {authUrl}/api/passkeys/login/options {mfaToken}`), lets the browser sign it with one of the
   * user's passkeys, and posts the assertion (`POST {authUrl}/api/login/mfa {mfaToken,
   * credential}`); the session opens as after `login()`. Each subscription runs one ceremony. The browser refusing (the user cancelled, or
   * could not be verified) fails with its `DOMException` and the step waits on; `401
   * invalid_passkey` counts as a wrong code; `410 mfa_expired` ends the step.
   */
  completeSecondFactorWithPasskey(): Observable<LoginResponse> {
    const mfaToken = this.mfaToken;
    if (mfaToken === null) {
      return throwError(() => new Error('No second sign-in step is pending: log in first'));
    }
    return this.authPost<PublicKeyCredentialRequestOptionsJSON>(PASSKEY_STEP_OPTIONS, {
      mfaToken,
    }).pipe(
      switchMap((options) => getPasskey(options)),
      switchMap((credential) =>
        this.authPost<LoginResponse>(PASSKEY_STEP, { mfaToken, credential }),
      ),
      tap({
        next: (response) => {
          this.clearSecondFactor();
          this.setSession(response);
        },
        error: (error: unknown) => {
          if (error instanceof HttpErrorResponse && error.status === 410) {
            this.clearSecondFactor();
          }
        },
      }),
    );
  }

  /**
   * Signs in with a passkey alone, no password (`POST {authUrl}/api/passkeys/login/options`,
   * then the browser's passkey dialog, then `POST {authUrl}/api/passkeys/login` with the
   * assertion): the session opens as after `login()`. With `mediation: 'conditional'` the
   * browser offers the passkeys in the autofill of an input with `autocomplete="username
   * webauthn"` instead of a dialog, and waits until one is picked: unsubscribe to stop waiting.
   * Each subscription runs one ceremony. The browser refusing fails with its `DOMException`
   * (`NotAllowedError`: cancelled, timed out, or the user could not be verified); the auth
   * server refusing fails with `401 invalid_passkey` (an unknown or removed passkey, a spent
   * challenge, a wrong origin, the user not verified).
   */
  loginWithPasskey(mediation: PasskeyMediation = 'optional'): Observable<LoginResponse> {
    return this.authPost<PublicKeyCredentialRequestOptionsJSON>(
      PASSKEY_LOGIN_OPTIONS,
      JSON_POST_BODY,
    ).pipe(
      switchMap((options) => getPasskey(options, mediation)),
      switchMap((assertion: PasskeyCredentialJSON) =>
        this.authPost<LoginResponse>(PASSKEY_LOGIN, assertion),
      ),
      tap((response) => {
        this.clearSecondFactor();
        this.setSession(response);
      }),
    );
  }

  /**
   * A POST to the auth server's sign-in routes: with credentials (device and binding cookies) and,
   * with `dpop`, a proof (a passkey sign-in binds its session as a password one does).
   */
  private authPost<T>(path: string, body: object): Observable<T> {
    return this.http.post<T>(`${this.config.value.authUrl}${path}`, body, {
      withCredentials: true,
      context: sessionEndpointContext(),
    });
  }

  /** Forgets a pending second step (the user went back to the password). */
  clearSecondFactor(): void {
    this.mfaToken = null;
    this.pendingStep.set(null);
  }

  /**
   * Stores the session from a login answer: `expires_at` = now + `expiresIn` seconds, and in
   * body mode `id_token` (and `token_type` when it is `DPoP`). For custom login flows; `login()`
   * calls it.
   */
  setSession(response: LoginResponse): void {
    const expiresIn = Number(response?.expiresIn);
    if (!Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw new Error('The auth server answered without a valid expiresIn');
    }
    const cookieMode = this.isCookieMode();
    if (!cookieMode && (typeof response.idToken !== 'string' || response.idToken === '')) {
      throw new Error('The auth server answered without an idToken');
    }
    const expiresAt = Date.now() + Math.round(expiresIn * 1000);
    if (cookieMode) {
      this.remove(ID_TOKEN_KEY);
    } else {
      this.write(ID_TOKEN_KEY, response.idToken as string);
    }
    if (!cookieMode && response.tokenType === DPOP_TOKEN_TYPE) {
      this.write(TOKEN_TYPE_KEY, DPOP_TOKEN_TYPE);
    } else {
      this.remove(TOKEN_TYPE_KEY);
    }
    this.write(EXPIRES_AT_KEY, String(expiresAt));
    this.sync();
  }

  /**
   * Ends the session here: removes `id_token` and `expires_at` at once, deletes the DPoP key,
   * and tells the auth server (see {@link serverLogout}), with the token read before it was
   * removed (and, for a bound token, a proof from the key read before it was deleted).
   */
  logout(): void {
    const hadSession = this.session() !== null || this.read(EXPIRES_AT_KEY) !== null;
    const authorization = this.authorizationOf(this.read(ID_TOKEN_KEY)); // for the server call
    const bound = authorization?.startsWith(`${DPOP_TOKEN_TYPE} `) === true;
    let key: Promise<CryptoKeyPair | null> | null = null;
    if (bound || this.config.value.dpop) {
      key = bound ? this.dpop.existingKeyPair() : null;
      void this.dpop.forget().catch(() => undefined);
    }
    this.remove(ID_TOKEN_KEY);
    this.remove(TOKEN_TYPE_KEY);
    this.remove(EXPIRES_AT_KEY);
    this.remove(REFRESH_TOKEN_KEY); // the code flow's
    this.refreshing = null;
    this.sync();
    if (hadSession) {
      // gone here either way
      this.serverLogout(authorization, key).subscribe({ error: () => undefined });
    }
  }

  /**
   * Logs out because the session ended by itself, and goes to the login route with the reason
   * (and the page to come back to).
   */
  endSession(reason: SessionEndReason): void {
    const { loginPath } = this.config.value;
    const current = this.router.url;
    const onLogin = current === loginPath || current.startsWith(`${loginPath}?`);
    if (this.session() === null && onLogin) {
      return; // already ended (several requests failed at once) and on the login page
    }
    this.logout();
    const returnUrl = onLogin || current === '/' ? undefined : current;
    void this.router.navigate([loginPath], { queryParams: { reason, returnUrl } });
  }

  /**
   * Renews the session with the refresh cookie (`POST {authUrl}/api/refresh`); concurrent
   * callers share one request. A `503` (another request was renewing the same session at that
   * moment, or the auth server is briefly unavailable) is tried again after its `Retry-After`,
   * up to twice: it is not the end of the session. With the code flow, the refresh token goes to
   * `POST {authUrl}/token` instead (and its successor is kept).
   */
  refresh(): Observable<LoginResponse> {
    if (this.refreshing === null) {
      this.refreshing = this.refreshRequest().pipe(
        retry({ count: REFRESH_RETRIES, delay: retryAfterUnavailable }),
        tap({
          next: (response) => this.setSession(response),
          finalize: () => (this.refreshing = null),
        }),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
    }
    return this.refreshing;
  }

  private refreshRequest(): Observable<LoginResponse> {
    const { authUrl, codeFlow } = this.config.value;
    if (codeFlow === null) {
      return this.http.post<LoginResponse>(`${authUrl}/api/refresh`, JSON_POST_BODY, {
        withCredentials: true,
        context: sessionEndpointContext(),
      });
    }
    const refreshToken = this.read(REFRESH_TOKEN_KEY);
    if (refreshToken === null) {
      return throwError(() => new Error('No refresh token: sign in with offline_access'));
    }
    return tokenRequest(this.http, authUrl, codeFlow, this.storage, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    }).pipe(map((answer) => ({ idToken: answer.access_token, expiresIn: answer.expires_in })));
  }

  /**
   * Asks the auth server for the session its cookie holds (`GET {authUrl}/api/session`) and
   * keeps it: after the hosted login page sent the browser back (see
   * `hostedLoginCallbackGuard`).
   */
  checkSession(): Observable<LoginResponse> {
    return this.http
      .get<LoginResponse>(`${this.config.value.authUrl}/api/session`, {
        withCredentials: true,
        context: sessionEndpointContext(),
      })
      .pipe(tap((response) => this.setSession(response)));
  }

  isLoggedIn(): boolean {
    const expiration = this.getExpiration();
    if (expiration === null || Date.now() >= expiration.getTime()) {
      return false;
    }
    return this.isCookieMode() || this.read(ID_TOKEN_KEY) !== null;
  }

  isLoggedOut(): boolean {
    return !this.isLoggedIn();
  }

  /** When the stored session ends, or null when none is stored. */
  getExpiration(): Date | null {
    const stored = this.read(EXPIRES_AT_KEY);
    if (stored === null) {
      return null;
    }
    const expiresAt = Number(stored);
    return Number.isFinite(expiresAt) ? new Date(expiresAt) : null;
  }

  /** The session JWT in body mode; always null in cookie mode. */
  getToken(): string | null {
    return this.isCookieMode() || !this.isLoggedIn() ? null : this.read(ID_TOKEN_KEY);
  }

  /**
   * The `Authorization` value for the session's token in body mode: `DPoP <token>` for a token
   * bound to this browser's key (the interceptor adds the proof), `Bearer <token>` otherwise;
   * null in cookie mode or when logged out.
   */
  getAuthorization(): string | null {
    return this.authorizationOf(this.getToken());
  }

  /** Whether the open session has the role (see {@link roles}). */
  hasRole(role: string): boolean {
    return this.roles().includes(role);
  }

  /**
   * The one place that decides how a logout reaches the auth server: always, in every mode, so
   * the session ends there (its `sid` is revoked and shows in the revocation feed, its refresh
   * family ends) and every cookie the auth server set (session, XSRF, refresh, hosted login) is
   * cleared. `authorization` is the body-mode token as it was before the logout, sent as
   * `Authorization: Bearer` or `DPoP` with a proof from `key` (the auth server accepts it even
   * expired, after checking its signature); cookie mode sends the session cookie and the
   * interceptor its `X-XSRF-TOKEN`.
   *
   * Cookie mode with refresh first posts `/api/refresh/logout`: the refresh cookie
   * (`Path=/api/refresh`) reaches only that path, and once the session cookie has expired it is
   * all that names the session. `/api/logout` follows whatever that answered, never before: its
   * answer clears the refresh cookie.
   */
  private serverLogout(
    authorization: string | null,
    key: Promise<CryptoKeyPair | null> | null,
  ): Observable<unknown> {
    const logout = this.postLogout('/api/logout', authorization, key);
    if (!this.isCookieMode() || !this.config.value.refresh) {
      return logout;
    }
    return this.postLogout('/api/refresh/logout', null, null).pipe(
      catchError(() => of(null)),
      concatMap(() => logout),
    );
  }

  private postLogout(
    path: string,
    authorization: string | null,
    key: Promise<CryptoKeyPair | null> | null,
  ): Observable<unknown> {
    return this.http.post(`${this.config.value.authUrl}${path}`, JSON_POST_BODY, {
      withCredentials: true,
      context: authEndpointContext().set(DPOP_KEY, key),
      headers: authorization !== null ? { Authorization: authorization } : {},
    });
  }

  private authorizationOf(token: string | null): string | null {
    if (token === null || this.isCookieMode()) {
      return null;
    }
    const bound = this.read(TOKEN_TYPE_KEY) === DPOP_TOKEN_TYPE;
    return `${bound ? DPOP_TOKEN_TYPE : 'Bearer'} ${token}`;
  }

  private get storage(): LatchkeyStorage {
    return this.config.value.storage;
  }

  private isCookieMode(): boolean {
    return this.config.value.delivery === 'cookie';
  }

  /** Applies the settings in force: cookie mode keeps no token. */
  private configure(): void {
    if (this.isCookieMode()) {
      this.remove(ID_TOKEN_KEY); // left over from body mode
      this.remove(TOKEN_TYPE_KEY);
    }
    this.sync();
  }

  /** Brings the signal and the timers in line with what is stored. */
  private sync(): void {
    this.clearTimers();
    if (!this.isLoggedIn()) {
      this.session.set(null);
      return;
    }
    const expiresAt = (this.getExpiration() as Date).getTime();
    this.session.set({ expiresAt, token: this.getToken() });
    const now = Date.now();
    this.expiryTimer = setTimeout(
      () => this.onExpiryTimer(),
      Math.min(expiresAt - now, MAX_TIMER_DELAY_MS),
    );
    if (this.config.value.refresh) {
      const ahead = Math.min(REFRESH_AHEAD_MS, (expiresAt - now) * 0.2);
      this.refreshTimer = setTimeout(
        () => this.refresh().subscribe({ error: () => undefined }), // expiry timer still runs
        Math.min(Math.max(expiresAt - now - ahead, 0), MAX_TIMER_DELAY_MS),
      );
    }
  }

  private onExpiryTimer(): void {
    if (this.isLoggedIn()) {
      this.sync(); // a long session waited in steps, or it was renewed meanwhile
    } else if (this.session() !== null) {
      this.endSession('expired');
    }
  }

  private clearTimers(): void {
    clearTimeout(this.expiryTimer);
    clearTimeout(this.refreshTimer);
    this.expiryTimer = undefined;
    this.refreshTimer = undefined;
  }

  private read(key: string): string | null {
    try {
      return this.storage.getItem(key);
    } catch {
      return null;
    }
  }

  private write(key: string, value: string): void {
    try {
      this.storage.setItem(key, value);
    } catch {
      // storage full or refused: the session cannot be kept
    }
  }

  private remove(key: string): void {
    try {
      this.storage.removeItem(key);
    } catch {
      // nothing to remove
    }
  }
}

import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, shareReplay, tap } from 'rxjs';

import { ConfigService } from './app-config';
import { authEndpointContext } from './http-context';

/** What `POST /api/login` (and `/api/refresh`, `/api/session`) answers. */
export interface LoginResponse {
  /** The session JWT; present in body mode, absent in cookie mode. */
  readonly idToken?: string;
  /** Seconds until the session ends. */
  readonly expiresIn: number;
}

/** Why a session ended without the user asking; shown on the login page. */
export type SessionEndReason = 'expired' | 'unauthorized';

export const ID_TOKEN_KEY = 'id_token';
export const EXPIRES_AT_KEY = 'expires_at';

/** setTimeout's longest delay (about 24.8 days); longer waits are done in steps. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;
/** Refresh this long before expiry (or at 80 % of a shorter session). */
const REFRESH_AHEAD_MS = 60_000;

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * localStorage, or a map in memory where the browser refuses it (privacy modes, sandboxed
 * frames): the session then lasts as long as the page.
 */
function browserStorage(): KeyValueStore {
  try {
    if (typeof localStorage !== 'undefined' && localStorage !== null) {
      return localStorage;
    }
  } catch {
    // access denied: fall through
  }
  const memory = new Map<string, string>();
  return {
    getItem: (key) => memory.get(key) ?? null,
    setItem: (key, value) => void memory.set(key, value),
    removeItem: (key) => void memory.delete(key),
  };
}

/**
 * The session, as the seed design describes it: `login()` posts the credentials once and
 * shares the answer, `setSession()` keeps `id_token` and `expires_at` in localStorage,
 * `logout()` removes them. In cookie mode the token lives in an HttpOnly cookie the
 * script never sees, and only `expires_at` is stored.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(ConfigService);
  private readonly router = inject(Router);
  private readonly storage = browserStorage();

  /** Epoch ms at which the current session ends, or null when logged out. */
  private readonly session = signal<number | null>(null);
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Observable<LoginResponse> | null = null;

  /** True while a session is open; for templates. */
  readonly loggedIn = computed(() => this.session() !== null);
  /** When the open session ends (epoch ms), or null. */
  readonly expiresAt = this.session.asReadonly();

  constructor() {
    if (this.isCookieMode()) {
      this.remove(ID_TOKEN_KEY); // left over from body mode: cookie mode keeps no token
    }
    this.sync();
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key === ID_TOKEN_KEY || event.key === EXPIRES_AT_KEY) {
        this.sync(); // another tab logged in or out
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

  /** Posts the credentials to the auth server once; every subscriber shares that one answer. */
  login(email: string, password: string): Observable<LoginResponse> {
    const { authUrl } = this.config.value;
    return this.http
      .post<LoginResponse>(
        `${authUrl}/api/login`,
        { email, password },
        { withCredentials: this.usesAuthCookies(), context: authEndpointContext() },
      )
      .pipe(
        tap((response) => this.setSession(response)),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
  }

  /** Stores the session from a login answer: `expires_at` = now + `expiresIn` seconds. */
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
    this.write(EXPIRES_AT_KEY, String(expiresAt));
    this.sync();
  }

  /**
   * Ends the session here: removes `id_token` and `expires_at`. In cookie mode (or with
   * refresh sessions) it also asks the auth server to clear its cookies.
   */
  logout(): void {
    const hadSession = this.session() !== null || this.read(EXPIRES_AT_KEY) !== null;
    this.remove(ID_TOKEN_KEY);
    this.remove(EXPIRES_AT_KEY);
    this.refreshing = null;
    this.sync();
    if (hadSession && this.usesAuthCookies()) {
      const { authUrl } = this.config.value;
      this.http
        .post(`${authUrl}/api/logout`, null, {
          withCredentials: true,
          context: authEndpointContext(),
        })
        .subscribe({ error: () => undefined }); // the local session is gone either way
    }
  }

  /**
   * Logs out because the session ended by itself, and returns to the login page with a
   * message (and the page to come back to).
   */
  endSession(reason: SessionEndReason): void {
    const current = this.router.url;
    if (this.session() === null && current.startsWith('/login')) {
      return; // already ended (several requests failed at once) and on the login page
    }
    this.logout();
    const returnUrl = current.startsWith('/login') || current === '/' ? undefined : current;
    void this.router.navigate(['/login'], { queryParams: { reason, returnUrl } });
  }

  /**
   * Renews the session with the refresh cookie (`POST {authUrl}/api/refresh`); concurrent
   * callers share one request.
   */
  refresh(): Observable<LoginResponse> {
    if (this.refreshing === null) {
      const { authUrl } = this.config.value;
      this.refreshing = this.http
        .post<LoginResponse>(`${authUrl}/api/refresh`, null, {
          withCredentials: true,
          context: authEndpointContext(),
        })
        .pipe(
          tap({
            next: (response) => this.setSession(response),
            finalize: () => (this.refreshing = null),
          }),
          shareReplay({ bufferSize: 1, refCount: false }),
        );
    }
    return this.refreshing;
  }

  /**
   * Asks the auth server for the session its cookie holds (`GET {authUrl}/api/session`),
   * after the hosted login page sent the browser back here.
   */
  checkSession(): Observable<LoginResponse> {
    const { authUrl } = this.config.value;
    return this.http
      .get<LoginResponse>(`${authUrl}/api/session`, {
        withCredentials: true,
        context: authEndpointContext(),
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

  private isCookieMode(): boolean {
    return this.config.value.delivery === 'cookie';
  }

  /** Whether the auth server keeps cookies for us (session or refresh cookie). */
  private usesAuthCookies(): boolean {
    return this.isCookieMode() || this.config.value.refreshEnabled;
  }

  /** Brings the signal and the timers in line with what is stored. */
  private sync(): void {
    this.clearTimers();
    if (!this.isLoggedIn()) {
      this.session.set(null);
      return;
    }
    const expiresAt = (this.getExpiration() as Date).getTime();
    this.session.set(expiresAt);
    const now = Date.now();
    this.expiryTimer = setTimeout(
      () => this.onExpiryTimer(),
      Math.min(expiresAt - now, MAX_TIMER_DELAY_MS),
    );
    if (this.config.value.refreshEnabled) {
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

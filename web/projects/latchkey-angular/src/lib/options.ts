import { Injectable, InjectionToken, inject, signal } from '@angular/core';

import { LatchkeyStorage, LatchkeyStorageChoice, resolveStorage } from './storage';

/**
 * How the auth server delivers the session token:
 *
 * - `'body'`: in the login answer; kept in storage and sent as `Authorization: Bearer`.
 * - `'cookie'`: in an `HttpOnly` cookie the script never sees; requests carry credentials and
 *   unsafe ones the `X-XSRF-TOKEN` header.
 */
export type Delivery = 'body' | 'cookie';

/** What `provideLatchkey()` takes. Only `authUrl` is required. */
export interface LatchkeyOptions {
  /** Base URL of the auth server (`http(s)://host[:port]`); `''` means this page's origin. */
  readonly authUrl: string;
  /**
   * Origins (`scheme://host[:port]`) that receive the session besides this page's origin.
   * Any path is cut off; every other origin gets nothing. Default: none.
   */
  readonly apiOrigins?: readonly string[];
  /** Body or cookie mode, as the auth server is configured. Default: `'body'`. */
  readonly delivery?: Delivery;
  /**
   * Renew the session with `POST {authUrl}/api/refresh` a minute (or a fifth of a shorter
   * session) before it ends. Default: `false`.
   */
  readonly refresh?: boolean;
  /** Where `id_token` and `expires_at` are kept. Default: `'local'` (localStorage). */
  readonly storage?: LatchkeyStorageChoice;
  /**
   * Body mode: bind the session to a key pair that this browser keeps and cannot export (DPoP,
   * RFC 9449), so that a token copied out of storage is refused without the key's proofs.
   * Ignored in cookie mode. Default: `false`.
   */
  readonly dpop?: boolean;
  /** The application's login route: guards and ended sessions go there. Default: `'/login'`. */
  readonly loginPath?: string;
  /** Where the hosted-login callback goes once the session is open. Default: `'/'`. */
  readonly homePath?: string;
  /**
   * Sign in with the OpenID Connect authorization code flow and PKCE (the auth server's
   * `/authorize` and `/token`) instead of posting the password to `/api/login`: the access token
   * is the session token, refreshed at `/token`. Body mode only. Default: off.
   */
  readonly codeFlow?: CodeFlowOptions;
}

/** The client this application is at the auth server (`latchkey clients add ID --public`). */
export interface CodeFlowOptions {
  /** The registered client id. */
  readonly clientId: string;
  /** The route that receives the answer (`codeFlowCallbackGuard`). Default: `'/auth/code'`. */
  readonly redirectPath?: string;
  /** Where the auth server's logout sends the browser back. Default: `'/'`. */
  readonly postLogoutPath?: string;
  /** Default: `'openid email offline_access'` (a refresh token with `refresh: true`). */
  readonly scope?: string;
}

/** The code flow's settings once checked. */
export interface CodeFlowSettings {
  readonly clientId: string;
  readonly redirectPath: string;
  readonly postLogoutPath: string;
  readonly scope: string;
}

/** The options once checked, with every default filled in. */
export interface LatchkeySettings {
  readonly authUrl: string;
  readonly apiOrigins: readonly string[];
  readonly delivery: Delivery;
  readonly refresh: boolean;
  readonly storage: LatchkeyStorage;
  /** DPoP on (body mode only). */
  readonly dpop: boolean;
  readonly loginPath: string;
  readonly homePath: string;
  /** Null: the password is posted to `/api/login`. */
  readonly codeFlow: CodeFlowSettings | null;
}

/** The options given to `provideLatchkey()` as a value (not as a loader). */
export const LATCHKEY_OPTIONS = new InjectionToken<LatchkeyOptions>('LATCHKEY_OPTIONS');

function httpUrl(value: unknown): URL | null {
  if (typeof value !== 'string' || value.trim() === '') {
    return null;
  }
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function appPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : fallback;
}

function codeFlowSettings(options: LatchkeyOptions): CodeFlowSettings | null {
  const flow = options.codeFlow;
  if (flow === undefined || flow === null) {
    return null;
  }
  if (typeof flow.clientId !== 'string' || flow.clientId.trim() === '') {
    throw new Error('Latchkey: codeFlow.clientId is required');
  }
  if (options.delivery === 'cookie') {
    throw new Error("Latchkey: codeFlow needs delivery 'body' (the token comes from /token)");
  }
  return Object.freeze({
    clientId: flow.clientId.trim(),
    redirectPath: appPath(flow.redirectPath, '/auth/code'),
    postLogoutPath: appPath(flow.postLogoutPath, '/'),
    scope:
      typeof flow.scope === 'string' && flow.scope.split(' ').includes('openid')
        ? flow.scope
        : 'openid email offline_access',
  });
}

/**
 * Checks the options and fills in the defaults. A malformed `authUrl` is an error (a login
 * would go nowhere); malformed `apiOrigins` entries are dropped (the token goes to fewer
 * places, never to more).
 */
export function normalizeOptions(options: LatchkeyOptions): LatchkeySettings {
  const rawAuthUrl = options?.authUrl ?? '';
  const auth = httpUrl(rawAuthUrl);
  if (rawAuthUrl !== '' && auth === null) {
    throw new Error(`Latchkey: authUrl must be an http(s) URL or '', not ${String(rawAuthUrl)}`);
  }
  const origins = Array.isArray(options.apiOrigins)
    ? options.apiOrigins.map(httpUrl).filter((u): u is URL => u !== null)
    : [];
  const delivery: Delivery = options.delivery === 'cookie' ? 'cookie' : 'body';
  return Object.freeze({
    authUrl: auth ? auth.href.replace(/\/+$/, '') : '',
    apiOrigins: Object.freeze([...new Set(origins.map((u) => u.origin))]),
    delivery,
    refresh: options.refresh === true,
    storage: resolveStorage(options.storage),
    dpop: options.dpop === true && delivery === 'body',
    loginPath: appPath(options.loginPath, '/login'),
    homePath: appPath(options.homePath, '/'),
    codeFlow: codeFlowSettings(options),
  });
}

/**
 * The settings in force. Set once by `provideLatchkey()`, from its options or (with a loader)
 * during app initialisation.
 */
@Injectable({ providedIn: 'root' })
export class LatchkeyConfig {
  private readonly state = signal<LatchkeySettings>(
    normalizeOptions(inject(LATCHKEY_OPTIONS, { optional: true }) ?? { authUrl: '' }),
  );
  private readonly listeners: (() => void)[] = [];

  /** The settings, as a signal. */
  readonly settings = this.state.asReadonly();

  get value(): LatchkeySettings {
    return this.state();
  }

  /** Origin of the auth server ('' when it is this page's origin). */
  get authOrigin(): string {
    const authUrl = this.state().authUrl;
    return authUrl === '' ? '' : new URL(authUrl).origin;
  }

  /** Replaces the settings (a loader's answer, or a test's). */
  set(options: LatchkeyOptions): void {
    this.state.set(normalizeOptions(options));
    for (const listener of this.listeners) {
      listener();
    }
  }

  /** @internal Lets the session follow a change of settings. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}

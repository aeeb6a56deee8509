import { HttpBackend, HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { Delivery, LatchkeyOptions } from '@latchkey/angular';
import { firstValueFrom, timeout } from 'rxjs';

/**
 * Runtime configuration, read from `GET /config.json` before the app starts.
 *
 * ```json
 * {
 *   "authUrl": "http://localhost:9000",
 *   "apiOrigins": ["http://localhost:8080"],
 *   "delivery": "body",
 *   "dpop": true,
 *   "signupEnabled": true,
 *   "hostedLoginUrl": "http://localhost:9000/login",
 *   "codeFlow": { "clientId": "latchkey-demo" }
 * }
 * ```
 */
export interface AppConfig {
  /** Base URL of the auth server, without a trailing slash; '' means this origin. */
  readonly authUrl: string;
  /** Origins (scheme://host[:port]) that receive the session token, besides this origin. */
  readonly apiOrigins: readonly string[];
  /** 'body': token in localStorage, sent as a Bearer header; 'cookie': HttpOnly cookie + XSRF header. */
  readonly delivery: Delivery;
  /** Body mode: bind the session to a non-extractable key of this browser (DPoP proofs). */
  readonly dpop: boolean;
  /** Whether the auth server accepts `POST /api/signup` (shows the sign-up link). */
  readonly signupEnabled: boolean;
  /** The auth server's hosted login page, or null to hide the link. */
  readonly hostedLoginUrl: string | null;
  /** Base URL of the lessons API, without a trailing slash; '' means this origin. */
  readonly apiUrl: string;
  /** Whether to renew the session with `POST {authUrl}/api/refresh` shortly before it expires. */
  readonly refreshEnabled: boolean;
  /** Sign in with the OpenID Connect code flow as this public client, or null for the login form. */
  readonly codeFlowClientId: string | null;
}

/** Used for every field that /config.json does not give (or gives in a wrong shape). */
export const DEFAULT_CONFIG: AppConfig = Object.freeze({
  authUrl: '',
  apiOrigins: [],
  delivery: 'body',
  dpop: false,
  signupEnabled: false,
  hostedLoginUrl: null,
  apiUrl: '',
  refreshEnabled: false,
  codeFlowClientId: null,
});

export const CONFIG_URL = '/config.json';
const CONFIG_TIMEOUT_MS = 5000;

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

function baseUrl(value: unknown, fallback: string): string {
  const url = httpUrl(value);
  return url ? url.href.replace(/\/+$/, '') : fallback;
}

/** `codeFlow: {clientId}` of /config.json (or an already normalized client id). */
function codeFlowClientId(value: unknown): string | null {
  const id =
    value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)['clientId']
      : value;
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
}

/** Turns whatever /config.json held into a complete, well-formed configuration. */
export function normalizeConfig(raw: unknown): AppConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return DEFAULT_CONFIG;
  }
  const r = raw as Record<string, unknown>;
  const origins = Array.isArray(r['apiOrigins'])
    ? r['apiOrigins'].map(httpUrl).filter((u): u is URL => u !== null)
    : [];
  const hosted = httpUrl(r['hostedLoginUrl']);
  return Object.freeze({
    authUrl: baseUrl(r['authUrl'], DEFAULT_CONFIG.authUrl),
    apiOrigins: Object.freeze([...new Set(origins.map((u) => u.origin))]),
    delivery: r['delivery'] === 'cookie' ? 'cookie' : 'body',
    dpop: r['dpop'] === true,
    signupEnabled: r['signupEnabled'] === true,
    hostedLoginUrl: hosted ? hosted.href : null,
    apiUrl: baseUrl(r['apiUrl'], DEFAULT_CONFIG.apiUrl),
    refreshEnabled: r['refreshEnabled'] === true,
    codeFlowClientId: codeFlowClientId(r['codeFlow'] ?? r['codeFlowClientId']),
  });
}

/** The Latchkey options for a configuration: what `provideLatchkey()` is given. */
export function latchkeyOptions(config: AppConfig): LatchkeyOptions {
  return {
    authUrl: config.authUrl,
    apiOrigins: config.apiOrigins,
    delivery: config.delivery,
    dpop: config.dpop,
    refresh: config.refreshEnabled,
    loginPath: '/login',
    homePath: '/lessons',
    ...(config.codeFlowClientId === null
      ? {}
      : { codeFlow: { clientId: config.codeFlowClientId } }),
  };
}

/** Holds the runtime configuration; `load()` runs once, from an app initializer. */
@Injectable({ providedIn: 'root' })
export class ConfigService {
  /** The raw backend: the configuration request must not go through our interceptors. */
  private readonly http = new HttpClient(inject(HttpBackend));
  private readonly state = signal<AppConfig>(DEFAULT_CONFIG);

  /** The current configuration, as a signal for templates. */
  readonly config = this.state.asReadonly();

  get value(): AppConfig {
    return this.state();
  }

  /** Loads /config.json; never fails: a missing or broken file leaves the defaults. */
  async load(): Promise<AppConfig> {
    try {
      const raw = await firstValueFrom(
        this.http.get<unknown>(CONFIG_URL).pipe(timeout(CONFIG_TIMEOUT_MS)),
      );
      this.state.set(normalizeConfig(raw));
    } catch (err) {
      console.warn(`Latchkey: ${CONFIG_URL} could not be loaded, using defaults`, err);
      this.state.set(DEFAULT_CONFIG);
    }
    return this.state();
  }

  /** For tests and embedding: replace the configuration directly. */
  set(config: Partial<AppConfig>): void {
    this.state.set(normalizeConfig({ ...this.state(), ...config }));
  }
}

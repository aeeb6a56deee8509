import { HttpErrorResponse } from '@angular/common/http';

export const SERVER_UNAVAILABLE = 'The server is unavailable right now. Please try again later.';

/**
 * Seconds to wait, from a 429's or 503's `Retry-After` header (seconds or an HTTP date) or, when a
 * cross-origin answer does not expose that header, a `retryAfter` field in its JSON body.
 */
export function retryAfterSeconds(error: HttpErrorResponse, now = Date.now()): number | null {
  const header = error.headers?.get('Retry-After')?.trim();
  if (header) {
    if (/^\d+$/.test(header)) {
      return Number(header);
    }
    const date = Date.parse(header);
    if (!Number.isNaN(date)) {
      return Math.max(0, Math.ceil((date - now) / 1000));
    }
  }
  const body = error.error as { retryAfter?: unknown } | null;
  const fromBody = typeof body === 'object' && body !== null ? Number(body.retryAfter) : NaN;
  return Number.isFinite(fromBody) && fromBody >= 0 ? Math.ceil(fromBody) : null;
}

/** The `message` of an auth server's JSON error body `{"error", "message"}`, if any. */
export function serverMessage(error: HttpErrorResponse): string | null {
  const body = error.error as { message?: unknown } | null;
  return typeof body === 'object' && body !== null && typeof body.message === 'string'
    ? body.message
    : null;
}

/** The machine-readable `error` of an auth server's JSON error body, if any. */
export function serverErrorCode(error: unknown): string | null {
  if (!(error instanceof HttpErrorResponse)) {
    return null;
  }
  const body = error.error as { error?: unknown } | null;
  return typeof body === 'object' && body !== null && typeof body.error === 'string'
    ? body.error
    : null;
}

/**
 * Whether a login was refused with `403 email_not_verified`: the password was right, but the
 * address is not confirmed yet (the page should offer to send the link again).
 */
export function isEmailNotVerified(error: unknown): boolean {
  return (
    error instanceof HttpErrorResponse &&
    error.status === 403 &&
    serverErrorCode(error) === 'email_not_verified'
  );
}

export const EMAIL_NOT_VERIFIED_MESSAGE =
  'Please confirm your email address first: open the link we sent you, or have it sent again.';

export const SECOND_STEP_EXPIRED_MESSAGE =
  'This sign-in has expired. Please enter your password again.';

function tooManyAttempts(error: HttpErrorResponse): string {
  const seconds = retryAfterSeconds(error);
  return seconds === null
    ? 'Too many attempts, try again later'
    : `Too many attempts, try again in ${seconds} s`;
}

/** What the login page shows when a login fails. Generic on purpose: no account probing. */
export function loginErrorMessage(error: unknown): string {
  if (!(error instanceof HttpErrorResponse)) {
    return 'Login failed. Please try again.';
  }
  if (serverErrorCode(error) === 'invalid_code') {
    return 'That code is not valid. Enter the current code, or a recovery code.';
  }
  if (serverErrorCode(error) === 'mfa_expired') {
    return SECOND_STEP_EXPIRED_MESSAGE;
  }
  if (error.status === 401) {
    return 'Wrong email or password';
  }
  if (isEmailNotVerified(error)) {
    return EMAIL_NOT_VERIFIED_MESSAGE;
  }
  if (error.status === 429) {
    return tooManyAttempts(error);
  }
  if (error.status === 0 || error.status >= 500) {
    return SERVER_UNAVAILABLE;
  }
  if (error.status === 400) {
    return serverMessage(error) ?? 'Please enter a valid email and password.';
  }
  return `Login failed (HTTP ${error.status}). Please try again.`;
}

/**
 * What the browser's refusal of a passkey ceremony means, or null when the error is not one: a
 * `DOMException` from `navigator.credentials` (WebAuthn gives few reasons, on purpose).
 */
function passkeyCeremonyMessage(error: unknown): string | null {
  if (typeof DOMException === 'undefined' || !(error instanceof DOMException)) {
    return null;
  }
  switch (error.name) {
    case 'NotAllowedError':
      return 'The passkey was not used: it was cancelled, timed out, or you could not be verified.';
    case 'InvalidStateError':
      return 'This device already holds a passkey for your account.';
    case 'NotSupportedError':
      return 'This browser cannot use passkeys.';
    case 'AbortError':
      return 'The passkey request was stopped.';
    case 'SecurityError':
      return 'Passkeys cannot be used from this address.';
    default:
      return 'The passkey did not work. Please try again.';
  }
}

/**
 * What the login page shows when signing in with a passkey fails (without a password, or as the
 * second step): the browser's refusal, or the auth server's (an unknown or removed passkey, a
 * spent challenge, the step expired).
 */
export function passkeyErrorMessage(error: unknown): string {
  const ceremony = passkeyCeremonyMessage(error);
  if (ceremony !== null) {
    return ceremony;
  }
  if (!(error instanceof HttpErrorResponse)) {
    return 'Signing in with a passkey failed. Please try again.';
  }
  if (serverErrorCode(error) === 'mfa_expired') {
    return SECOND_STEP_EXPIRED_MESSAGE;
  }
  if (error.status === 401 || error.status === 400) {
    return 'That passkey was not accepted. Use another one, or your password.';
  }
  if (error.status === 429) {
    return tooManyAttempts(error);
  }
  if (error.status === 0 || error.status >= 500) {
    return SERVER_UNAVAILABLE;
  }
  return `Signing in with a passkey failed (HTTP ${error.status}). Please try again.`;
}

/** What the sign-up page shows when a sign-up fails. */
export function signupErrorMessage(error: unknown): string {
  if (!(error instanceof HttpErrorResponse)) {
    return 'Sign-up failed. Please try again.';
  }
  if (error.status === 429) {
    return tooManyAttempts(error);
  }
  if (error.status === 0 || error.status >= 500) {
    return SERVER_UNAVAILABLE;
  }
  if (error.status === 404) {
    return 'Sign-up is not enabled on this server.';
  }
  return serverMessage(error) ?? `Sign-up failed (HTTP ${error.status}). Please try again.`;
}

const ACCOUNT_MESSAGES: Readonly<Record<string, string>> = {
  invalid_token: 'This link is not valid. Ask for a new one.',
  token_expired: 'This link has expired. Ask for a new one.',
  token_used: 'This link has already been used.',
  token_superseded: 'A newer link was sent after this one: use the newest link.',
  wrong_password: 'The current password is incorrect.',
  invalid_code: 'That code is not valid. Enter the current code from your authenticator app.',
  totp_already_enabled: 'An authenticator app is already set up.',
  totp_not_enabled: 'No authenticator app is set up.',
  no_pending_enrolment: 'Start the set-up again: it was not started or has been replaced.',
  passkey_refused: 'The new passkey could not be checked. Please try again.',
  passkey_exists: 'This passkey is already registered.',
  too_many_passkeys: 'You have as many passkeys as an account may hold: remove one first.',
  unknown_passkey: 'That passkey was already removed.',
};

/**
 * What an account page (confirm email, forgot or reset password, change password, second
 * factors and passkeys) shows when its request fails: the link's problem, a wrong current
 * password, the browser's refusal to create a passkey, or the server's reason (a weak password).
 */
export function accountErrorMessage(error: unknown): string {
  const ceremony = passkeyCeremonyMessage(error);
  if (ceremony !== null) {
    return ceremony;
  }
  if (!(error instanceof HttpErrorResponse)) {
    return 'That did not work. Please try again.';
  }
  const code = serverErrorCode(error);
  if (code !== null && Object.hasOwn(ACCOUNT_MESSAGES, code)) {
    return ACCOUNT_MESSAGES[code];
  }
  if (error.status === 429) {
    return tooManyAttempts(error);
  }
  if (error.status === 0 || error.status >= 500) {
    return SERVER_UNAVAILABLE;
  }
  if (error.status === 401) {
    return 'Your session has ended. Please log in again.';
  }
  return serverMessage(error) ?? `That did not work (HTTP ${error.status}). Please try again.`;
}

import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';

import {
  EMAIL_NOT_VERIFIED_MESSAGE,
  accountErrorMessage,
  isEmailNotVerified,
  loginErrorMessage,
  retryAfterSeconds,
  serverErrorCode,
  signupErrorMessage,
} from './http-errors';

function error(status: number, body: unknown = null, headers: Record<string, string> = {}) {
  return new HttpErrorResponse({ status, error: body, headers: new HttpHeaders(headers) });
}

describe('HTTP error messages', () => {
  it('reads Retry-After as seconds, as an HTTP date, or from the body', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(retryAfterSeconds(error(429, null, { 'Retry-After': '30' }), now)).toBe(30);
    expect(
      retryAfterSeconds(error(429, null, { 'Retry-After': 'Sun, 01 Mar 2026 10:01:30 GMT' }), now),
    ).toBe(90);
    expect(retryAfterSeconds(error(429, { retryAfter: 12 }), now)).toBe(12);
    expect(retryAfterSeconds(error(429), now)).toBeNull();
  });

  it('maps login failures to messages that reveal nothing about accounts', () => {
    expect(loginErrorMessage(error(401, { message: 'no such user' }))).toBe(
      'Wrong email or password',
    );
    expect(loginErrorMessage(error(429, null, { 'Retry-After': '8' }))).toBe(
      'Too many attempts, try again in 8 s',
    );
    expect(loginErrorMessage(error(429))).toBe('Too many attempts, try again later');
    expect(loginErrorMessage(error(0))).toMatch(/unavailable/);
    expect(loginErrorMessage(error(503))).toMatch(/unavailable/);
  });

  it('tells an unverified account, after the right password, to confirm its address', () => {
    const refused = error(403, { error: 'email_not_verified', message: 'Confirm first' });
    expect(isEmailNotVerified(refused)).toBe(true);
    expect(loginErrorMessage(refused)).toBe(EMAIL_NOT_VERIFIED_MESSAGE);
    expect(isEmailNotVerified(error(403, { error: 'forbidden' }))).toBe(false);
    expect(isEmailNotVerified(error(401, { error: 'email_not_verified' }))).toBe(false);
    expect(isEmailNotVerified(new Error('x'))).toBe(false);
    expect(serverErrorCode(refused)).toBe('email_not_verified');
    expect(serverErrorCode(error(500, 'oops'))).toBeNull();
  });

  it("shows the auth server's message for a refused sign-up", () => {
    expect(signupErrorMessage(error(400, { error: 'weak_password', message: 'Too short' }))).toBe(
      'Too short',
    );
    expect(signupErrorMessage(error(502))).toMatch(/unavailable/);
  });

  it('explains why a link or a password change did not work', () => {
    expect(accountErrorMessage(error(400, { error: 'token_expired', message: 'x' }))).toBe(
      'This link has expired. Ask for a new one.',
    );
    expect(accountErrorMessage(error(400, { error: 'token_used' }))).toMatch(/already been used/);
    expect(accountErrorMessage(error(400, { error: 'token_superseded' }))).toMatch(/newest/);
    expect(accountErrorMessage(error(400, { error: 'invalid_token' }))).toMatch(/not valid/);
    expect(accountErrorMessage(error(403, { error: 'wrong_password' }))).toBe(
      'The current password is incorrect.',
    );
    expect(accountErrorMessage(error(400, { error: 'weak_password', message: 'Too short' }))).toBe(
      'Too short',
    );
    expect(accountErrorMessage(error(429, null, { 'Retry-After': '5' }))).toBe(
      'Too many attempts, try again in 5 s',
    );
    expect(accountErrorMessage(error(0))).toMatch(/unavailable/);
    expect(accountErrorMessage(error(401))).toMatch(/log in again/);
  });
});

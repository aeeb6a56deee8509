import { Location } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import { RouterTestingHarness } from '@angular/router/testing';

import { routes } from '../app.routes';
import { AUTH_URL, setUpApp } from '../testing/test-setup';

function byTestId(root: Element, id: string): HTMLElement | null {
  return root.querySelector(`[data-testid="${id}"]`);
}

function type(root: Element, id: string, value: string): void {
  const input = byTestId(root, id) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('account pages', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  async function open(url: string) {
    const app = setUpApp(undefined, routes);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    return { ...app, harness, root: harness.routeNativeElement as Element };
  }

  it('/verify-email posts the fragment token with the password, removes it from the address bar, says done', async () => {
    const { http, harness, root } = await open('/verify-email#token=abc_DEF-123');
    expect(TestBed.inject(Location).path(true)).toBe('/verify-email');
    http.expectNone(`${AUTH_URL}/api/email-verification/confirm`); // not before the password

    type(root, 'verify-password', 'my sign-up passphrase');
    (byTestId(root, 'verify-submit') as HTMLButtonElement).click();
    const req = http.expectOne(`${AUTH_URL}/api/email-verification/confirm`);
    expect(req.request.body).toEqual({ token: 'abc_DEF-123', password: 'my sign-up passphrase' });
    req.flush({ status: 'verified' });
    harness.detectChanges();
    await harness.fixture.whenStable();
    expect(byTestId(root, 'verify-done')).not.toBeNull();
  });

  it('/verify-email explains a used link, and a missing token', async () => {
    const { http, harness, root } = await open('/verify-email#token=old');
    type(root, 'verify-password', 'my sign-up passphrase');
    (byTestId(root, 'verify-submit') as HTMLButtonElement).click();
    http
      .expectOne(`${AUTH_URL}/api/email-verification/confirm`)
      .flush({ error: 'token_used', message: 'x' }, { status: 400, statusText: 'Bad Request' });
    harness.detectChanges();
    expect(byTestId(root, 'verify-error')?.textContent).toContain('already been used');

    await harness.navigateByUrl('/lessons'); // guarded: back to /login
    await harness.navigateByUrl('/verify-email');
    http.expectNone(`${AUTH_URL}/api/email-verification/confirm`);
    expect(byTestId(harness.routeNativeElement!, 'verify-error')?.textContent).toContain(
      'no token',
    );
  });

  it('/forgot-password asks for a link and answers the same for every address', async () => {
    const { http, harness, root } = await open('/forgot-password');
    type(root, 'forgot-email', 'someone@example.com');
    (byTestId(root, 'forgot-submit') as HTMLButtonElement).click();
    const req = http.expectOne(`${AUTH_URL}/api/password-reset`);
    expect(req.request.body).toEqual({ email: 'someone@example.com' });
    req.flush(null, { status: 202, statusText: 'Accepted' });
    harness.detectChanges();
    expect(byTestId(root, 'forgot-sent')?.textContent).toContain('If this address has an account');
  });

  it('/reset-password sends the fragment token with the new password', async () => {
    const { http, harness, root } = await open('/reset-password#token=reset-tok');
    expect(TestBed.inject(Location).path(true)).toBe('/reset-password');

    type(root, 'reset-password', 'short');
    (byTestId(root, 'reset-submit') as HTMLButtonElement).click();
    http
      .expectOne(`${AUTH_URL}/api/password-reset/confirm`)
      .flush(
        { error: 'weak_password', message: 'Use at least 12 characters' },
        { status: 400, statusText: 'Bad Request' },
      );
    harness.detectChanges();
    expect(byTestId(root, 'reset-error')?.textContent?.trim()).toBe('Use at least 12 characters');

    type(root, 'reset-password', 'a much longer passphrase');
    (byTestId(root, 'reset-submit') as HTMLButtonElement).click();
    const req = http.expectOne(`${AUTH_URL}/api/password-reset/confirm`);
    expect(req.request.body).toEqual({ token: 'reset-tok', password: 'a much longer passphrase' });
    req.flush({ status: 'reset' });
    harness.detectChanges();
    expect(byTestId(root, 'reset-done')).not.toBeNull();
  });

  it('/account is behind the login', async () => {
    const { router } = await open('/account');
    expect(router.url).toMatch(/^\/login/);
  });

  it('/account changes the password with the bearer token; a wrong current one is explained', async () => {
    localStorage.setItem('id_token', 'the.jwt.sig');
    localStorage.setItem('expires_at', String(Date.now() + 600_000));
    const { http, harness, root, router } = await open('/account');
    expect(router.url).toBe('/account');

    type(root, 'account-current', 'wrong');
    type(root, 'account-new', 'a much longer passphrase');
    (byTestId(root, 'account-submit') as HTMLButtonElement).click();
    http
      .expectOne(`${AUTH_URL}/api/password`)
      .flush({ error: 'wrong_password' }, { status: 403, statusText: 'Forbidden' });
    harness.detectChanges();
    expect(byTestId(root, 'account-error')?.textContent?.trim()).toBe(
      'The current password is incorrect.',
    );

    type(root, 'account-current', 'the right one');
    type(root, 'account-new', 'a much longer passphrase');
    (byTestId(root, 'account-submit') as HTMLButtonElement).click();
    const req = http.expectOne(`${AUTH_URL}/api/password`);
    expect(req.request.headers.get('Authorization')).toBe('Bearer the.jwt.sig');
    expect(req.request.body).toEqual({
      currentPassword: 'the right one',
      newPassword: 'a much longer passphrase',
    });
    req.flush({ status: 'password_changed', idToken: 'the.new.jwt', expiresIn: 600 });
    harness.detectChanges();
    expect(byTestId(root, 'account-done')).not.toBeNull();
    expect(byTestId(root, 'account-error')).toBeNull();
    expect(localStorage.getItem('id_token')).toBe('the.new.jwt'); // the change ended the old one
  });
});

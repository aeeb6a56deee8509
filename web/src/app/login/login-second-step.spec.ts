import { ComponentFixture, TestBed } from '@angular/core/testing';

import { AUTH_URL, setUpApp } from '../testing/test-setup';
import { LoginPage } from './login';

function byTestId(fixture: ComponentFixture<unknown>, id: string): HTMLElement | null {
  return (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="${id}"]`);
}

function type(fixture: ComponentFixture<unknown>, id: string, value: string): void {
  const input = byTestId(fixture, id) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('LoginPage, second step', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  async function passwordStep() {
    const app = setUpApp(undefined, [
      { path: 'login', component: LoginPage },
      { path: 'lessons', children: [] },
    ]);
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    type(fixture, 'login-email', 'ada@example.com');
    type(fixture, 'login-password', 'secret');
    (byTestId(fixture, 'login-submit') as HTMLButtonElement).click();
    await fixture.whenStable();
    app.http
      .expectOne(`${AUTH_URL}/api/login`)
      .flush({ mfaRequired: true, mfaToken: 'opaque', methods: ['totp', 'recovery_code'] });
    await fixture.whenStable();
    return { ...app, fixture };
  }

  it('asks for a code on the same page, then signs in and goes to /lessons', async () => {
    const { fixture, http, router, auth } = await passwordStep();
    const code = byTestId(fixture, 'login-code') as HTMLInputElement;
    expect(code).not.toBeNull();
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(byTestId(fixture, 'login-password')).toBeNull();
    expect(fixture.nativeElement.textContent).toContain('recovery codes');
    expect(auth.loggedIn()).toBe(false);

    type(fixture, 'login-code', '123456');
    (byTestId(fixture, 'login-code-submit') as HTMLButtonElement).click();
    await fixture.whenStable();
    const req = http.expectOne(`${AUTH_URL}/api/login/mfa`);
    expect(req.request.body).toEqual({ mfaToken: 'opaque', code: '123456' });
    req.flush({ idToken: 'jwt', expiresIn: 7200 });
    await fixture.whenStable();
    await vi.waitFor(() => expect(router.url).toBe('/lessons'));
    expect(auth.loggedIn()).toBe(true);
  });

  it('says when a code is wrong and stays; an expired step goes back to the password', async () => {
    const { fixture, http } = await passwordStep();
    type(fixture, 'login-code', '000000');
    (byTestId(fixture, 'login-code-submit') as HTMLButtonElement).click();
    await fixture.whenStable();
    http
      .expectOne(`${AUTH_URL}/api/login/mfa`)
      .flush({ error: 'invalid_code' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(byTestId(fixture, 'login-error')?.textContent).toContain('code is not valid');
    expect(byTestId(fixture, 'login-code')).not.toBeNull();

    type(fixture, 'login-code', '111111');
    (byTestId(fixture, 'login-code-submit') as HTMLButtonElement).click();
    await fixture.whenStable();
    http
      .expectOne(`${AUTH_URL}/api/login/mfa`)
      .flush({ error: 'mfa_expired' }, { status: 410, statusText: 'Gone' });
    await fixture.whenStable();
    expect(byTestId(fixture, 'login-code')).toBeNull();
    expect(byTestId(fixture, 'login-password')).not.toBeNull();
    expect(byTestId(fixture, 'login-error')?.textContent).toContain('password again');
  });
});

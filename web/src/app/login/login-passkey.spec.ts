import { ComponentFixture, TestBed } from '@angular/core/testing';

import {
  ASSERTION_JSON,
  REQUEST_OPTIONS,
  installBrowser,
  removeBrowser,
  settle,
} from '../../../projects/latchkey-angular/src/lib/testing/fake-authenticator';
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

describe('LoginPage, passkeys', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    removeBrowser();
    localStorage.clear();
  });

  async function loginPage() {
    const app = setUpApp(undefined, [
      { path: 'login', component: LoginPage },
      { path: 'lessons', children: [] },
    ]);
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    return { ...app, fixture };
  }

  it('"Sign in with a passkey" signs in without a password and goes to /lessons', async () => {
    installBrowser();
    const { fixture, http, router, auth } = await loginPage();
    (byTestId(fixture, 'login-passkey') as HTMLButtonElement).click();
    http.expectOne(`${AUTH_URL}/api/passkeys/login/options`).flush(REQUEST_OPTIONS);
    await settle();
    const login = http.expectOne(`${AUTH_URL}/api/passkeys/login`);
    expect(login.request.body).toEqual(ASSERTION_JSON);
    login.flush({ idToken: 'jwt', expiresIn: 7200 });
    await vi.waitFor(() => expect(router.url).toBe('/lessons'));
    expect(auth.loggedIn()).toBe(true);
  });

  it('a refused passkey is said on the page, which stays', async () => {
    installBrowser();
    const { fixture, http, auth } = await loginPage();
    (byTestId(fixture, 'login-passkey') as HTMLButtonElement).click();
    http.expectOne(`${AUTH_URL}/api/passkeys/login/options`).flush(REQUEST_OPTIONS);
    await settle();
    http
      .expectOne(`${AUTH_URL}/api/passkeys/login`)
      .flush({ error: 'invalid_passkey' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(byTestId(fixture, 'login-error')?.textContent).toContain('passkey was not accepted');
    expect(auth.loggedIn()).toBe(false);
  });

  it('offers the passkey in the second step, alone when it is the only method', async () => {
    installBrowser();
    const { fixture, http, router } = await loginPage();
    type(fixture, 'login-email', 'ada@example.com');
    type(fixture, 'login-password', 'secret');
    (byTestId(fixture, 'login-submit') as HTMLButtonElement).click();
    http
      .expectOne(`${AUTH_URL}/api/login`)
      .flush({ mfaRequired: true, mfaToken: 'opaque', methods: ['passkey'] });
    await fixture.whenStable();
    expect(byTestId(fixture, 'login-code')).toBeNull();
    expect(byTestId(fixture, 'login-password')).toBeNull();

    (byTestId(fixture, 'login-step-passkey') as HTMLButtonElement).click();
    const options = http.expectOne(`${AUTH_URL}/api/passkeys/login/options`);
    expect(options.request.body).toEqual({ mfaToken: 'opaque' });
    options.flush(REQUEST_OPTIONS);
    await settle();
    http.expectOne(`${AUTH_URL}/api/login/mfa`).flush({ idToken: 'jwt', expiresIn: 60 });
    await vi.waitFor(() => expect(router.url).toBe('/lessons'));
  });

  it('with TOTP too, both the code field and the passkey are offered', async () => {
    installBrowser();
    const { fixture, http } = await loginPage();
    type(fixture, 'login-email', 'ada@example.com');
    type(fixture, 'login-password', 'secret');
    (byTestId(fixture, 'login-submit') as HTMLButtonElement).click();
    http.expectOne(`${AUTH_URL}/api/login`).flush({
      mfaRequired: true,
      mfaToken: 'opaque',
      methods: ['totp', 'recovery_code', 'passkey'],
    });
    await fixture.whenStable();
    expect(byTestId(fixture, 'login-code')).not.toBeNull();
    expect(byTestId(fixture, 'login-step-passkey')).not.toBeNull();
  });

  it('a browser without passkeys shows no passkey button', async () => {
    const { fixture } = await loginPage();
    expect(byTestId(fixture, 'login-passkey')).toBeNull();
  });
});

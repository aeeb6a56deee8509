import { ComponentFixture, TestBed } from '@angular/core/testing';
import { LATCHKEY_NAVIGATE } from '@latchkey/angular';

import { AUTH_URL, setUpApp } from '../testing/test-setup';
import { LoginPage } from './login';

function byTestId(fixture: ComponentFixture<unknown>, id: string): HTMLElement | null {
  return (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="${id}"]`);
}

async function fillAndSubmit(fixture: ComponentFixture<LoginPage>, email: string, pw: string) {
  const emailInput = byTestId(fixture, 'login-email') as HTMLInputElement;
  const passwordInput = byTestId(fixture, 'login-password') as HTMLInputElement;
  emailInput.value = email;
  emailInput.dispatchEvent(new Event('input'));
  passwordInput.value = pw;
  passwordInput.dispatchEvent(new Event('input'));
  (byTestId(fixture, 'login-submit') as HTMLButtonElement).click();
  await fixture.whenStable();
}

describe('LoginPage', () => {
  function setUp(inputs: { reason?: string; returnUrl?: string } = {}) {
    const app = setUpApp(undefined, [
      { path: 'login', component: LoginPage },
      { path: 'lessons', children: [] },
      { path: 'admin', children: [] },
    ]);
    const fixture = TestBed.createComponent(LoginPage);
    for (const [name, value] of Object.entries(inputs)) {
      fixture.componentRef.setInput(name, value);
    }
    return { ...app, fixture };
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  it('disables the button while the request is in flight, then goes to /lessons', async () => {
    const { fixture, http, router } = setUp();
    await fixture.whenStable();
    const button = byTestId(fixture, 'login-submit') as HTMLButtonElement;
    expect(button.disabled).toBe(false);

    await fillAndSubmit(fixture, 'student@example.com', 'secret');

    expect(button.disabled).toBe(true);
    const req = http.expectOne(`${AUTH_URL}/api/login`);
    expect(req.request.body).toEqual({ email: 'student@example.com', password: 'secret' });
    button.click(); // a second click while in flight sends nothing more
    http.expectNone(`${AUTH_URL}/api/login`);

    req.flush({ idToken: 'jwt', expiresIn: 7200 });
    await fixture.whenStable();
    expect(button.disabled).toBe(false);
    await vi.waitFor(() => expect(router.url).toBe('/lessons'));
    expect(byTestId(fixture, 'login-error')).toBeNull();
  });

  it('shows a generic error on 401 and re-enables the button', async () => {
    const { fixture, http } = setUp();
    await fixture.whenStable();
    await fillAndSubmit(fixture, 'student@example.com', 'wrong');

    http
      .expectOne(`${AUTH_URL}/api/login`)
      .flush({ error: 'invalid_credentials' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();

    expect(byTestId(fixture, 'login-error')?.textContent?.trim()).toBe('Wrong email or password');
    expect((byTestId(fixture, 'login-submit') as HTMLButtonElement).disabled).toBe(false);
    expect(localStorage.getItem('id_token')).toBeNull();
  });

  it('on 403 email_not_verified says to confirm, and sends the link again on request', async () => {
    const { fixture, http } = setUp();
    await fixture.whenStable();
    await fillAndSubmit(fixture, ' new@example.com ', 'a long passphrase');

    http
      .expectOne(`${AUTH_URL}/api/login`)
      .flush(
        { error: 'email_not_verified', message: 'Confirm your email address first' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    expect(byTestId(fixture, 'login-error')?.textContent).toContain('confirm your email address');

    (byTestId(fixture, 'resend-verification') as HTMLButtonElement).click();
    await fixture.whenStable();
    const req = http.expectOne(`${AUTH_URL}/api/email-verification`);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: 'new@example.com' });
    req.flush(null, { status: 202, statusText: 'Accepted' });
    await fixture.whenStable();

    expect(byTestId(fixture, 'resend-verification-sent')).not.toBeNull();
    expect(byTestId(fixture, 'resend-verification')).toBeNull();
    expect(localStorage.getItem('id_token')).toBeNull();
  });

  it('offers no resend for a wrong password', async () => {
    const { fixture, http } = setUp();
    await fixture.whenStable();
    await fillAndSubmit(fixture, 'student@example.com', 'wrong');
    http
      .expectOne(`${AUTH_URL}/api/login`)
      .flush({ error: 'invalid_credentials' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(byTestId(fixture, 'resend-verification')).toBeNull();
  });

  it('says how long to wait on 429', async () => {
    const { fixture, http } = setUp();
    await fixture.whenStable();
    await fillAndSubmit(fixture, 'student@example.com', 'wrong');
    http.expectOne(`${AUTH_URL}/api/login`).flush(null, {
      status: 429,
      statusText: 'Too Many Requests',
      headers: { 'Retry-After': '42' },
    });
    await fixture.whenStable();
    expect(byTestId(fixture, 'login-error')?.textContent).toContain(
      'Too many attempts, try again in 42 s',
    );
  });

  it('says the server is unavailable when it cannot be reached', async () => {
    const { fixture, http } = setUp();
    await fixture.whenStable();
    await fillAndSubmit(fixture, 'student@example.com', 'pw');
    http.expectOne(`${AUTH_URL}/api/login`).error(new ProgressEvent('error'));
    await fixture.whenStable();
    expect(byTestId(fixture, 'login-error')?.textContent).toContain('unavailable');
  });

  it('asks for both fields instead of posting an empty form', async () => {
    const { fixture, http } = setUp();
    await fixture.whenStable();
    (byTestId(fixture, 'login-submit') as HTMLButtonElement).click();
    await fixture.whenStable();
    http.expectNone(`${AUTH_URL}/api/login`);
    expect(byTestId(fixture, 'login-error')?.textContent).toContain('email');
  });

  it('goes to the returnUrl after login, but never off the app', async () => {
    const first = setUp({ returnUrl: '/admin' });
    await first.fixture.whenStable();
    await fillAndSubmit(first.fixture, 'student@example.com', 'pw');
    first.http.expectOne(`${AUTH_URL}/api/login`).flush({ idToken: 'jwt', expiresIn: 60 });
    await vi.waitFor(() => expect(first.router.url).toBe('/admin'));

    first.fixture.componentRef.setInput('returnUrl', '//evil.example/phish');
    await fillAndSubmit(first.fixture, 'student@example.com', 'pw');
    first.http.expectOne(`${AUTH_URL}/api/login`).flush({ idToken: 'jwt', expiresIn: 60 });
    await vi.waitFor(() => expect(first.router.url).toBe('/lessons'));
  });

  it.each([
    ['expired', 'Your session has expired'],
    ['unauthorized', 'no longer valid'],
  ])('explains why the user is back (reason=%s)', async (reason, text) => {
    const { fixture } = setUp({ reason });
    await fixture.whenStable();
    expect(byTestId(fixture, 'session-message')?.textContent).toContain(text);
  });

  it('shows no session message without a known reason', async () => {
    const { fixture } = setUp({ reason: '<script>' });
    await fixture.whenStable();
    expect(byTestId(fixture, 'session-message')).toBeNull();
  });

  it('links to the hosted login page with a return_to back to this app', async () => {
    const { fixture } = setUp();
    await fixture.whenStable();
    const link = byTestId(fixture, 'hosted-login') as HTMLAnchorElement;
    expect(link.href).toBe(
      `${AUTH_URL}/login?return_to=${encodeURIComponent(`${location.origin}/auth/callback`)}`,
    );
  });

  describe('in code-flow mode (`latchkey demo --code-flow`)', () => {
    function setUpCodeFlow() {
      const navigate = vi.fn<(url: string) => void>();
      setUpApp(
        { codeFlowClientId: 'latchkey-demo' },
        [
          { path: 'login', component: LoginPage },
          { path: 'lessons', children: [] },
        ],
        [{ provide: LATCHKEY_NAVIGATE, useValue: navigate }],
      );
      const fixture = TestBed.createComponent(LoginPage);
      fixture.componentRef.setInput('returnUrl', '/admin');
      return { fixture, navigate };
    }

    afterEach(() => sessionStorage.clear());

    it('asks for no password: its button goes to the auth server to sign in', async () => {
      const { fixture, navigate } = setUpCodeFlow();
      await fixture.whenStable();
      expect(byTestId(fixture, 'login-password')).toBeNull();
      expect(byTestId(fixture, 'hosted-login')).toBeNull();

      (byTestId(fixture, 'login-code-flow') as HTMLButtonElement).click();
      await vi.waitFor(() => expect(navigate).toHaveBeenCalledTimes(1));
      const url = new URL(navigate.mock.calls[0][0]);
      expect(`${url.origin}${url.pathname}`).toBe(`${AUTH_URL}/authorize`);
      expect(url.searchParams.get('client_id')).toBe('latchkey-demo');
      expect(url.searchParams.get('redirect_uri')).toBe(`${location.origin}/auth/code`);
      expect(JSON.parse(sessionStorage.getItem('latchkey_code_flow')!).returnUrl).toBe('/admin');
    });

    it('says why when a sign-in came back refused', async () => {
      const { fixture } = setUpCodeFlow();
      fixture.componentRef.setInput('reason', 'code_flow');
      await fixture.whenStable();
      expect(byTestId(fixture, 'session-message')?.textContent).toContain('did not complete');
    });
  });
});

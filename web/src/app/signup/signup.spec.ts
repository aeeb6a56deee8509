import { ComponentFixture, TestBed } from '@angular/core/testing';

import { AUTH_URL, setUpApp } from '../testing/test-setup';
import { SignupPage } from './signup';

function byTestId(fixture: ComponentFixture<unknown>, id: string): HTMLElement | null {
  return (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="${id}"]`);
}

async function submit(fixture: ComponentFixture<SignupPage>, email: string, password: string) {
  await fixture.whenStable();
  const emailInput = byTestId(fixture, 'signup-email') as HTMLInputElement;
  const passwordInput = byTestId(fixture, 'signup-password') as HTMLInputElement;
  emailInput.value = email;
  emailInput.dispatchEvent(new Event('input'));
  passwordInput.value = password;
  passwordInput.dispatchEvent(new Event('input'));
  (byTestId(fixture, 'signup-submit') as HTMLButtonElement).click();
  await fixture.whenStable();
}

describe('SignupPage', () => {
  function setUp() {
    const app = setUpApp(undefined, [
      { path: 'login', children: [] },
      { path: 'signup', component: SignupPage },
    ]);
    return { ...app, fixture: TestBed.createComponent(SignupPage) };
  }

  it('posts {email, password}; on 201 says to open the link in the mail, and stays', async () => {
    const { fixture, http, router } = setUp();
    await submit(fixture, 'new@example.com', 'a long passphrase');

    const req = http.expectOne(`${AUTH_URL}/api/signup`);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: 'new@example.com', password: 'a long passphrase' });
    expect((byTestId(fixture, 'signup-submit') as HTMLButtonElement).disabled).toBe(true);
    req.flush({ status: 'created' }, { status: 201, statusText: 'Created' });
    await fixture.whenStable();

    const success = byTestId(fixture, 'signup-success')?.textContent ?? '';
    expect(success).toContain('Check your mail');
    expect(success).toContain('new@example.com');
    expect(byTestId(fixture, 'signup-login')?.getAttribute('href')).toBe('/login');
    expect(byTestId(fixture, 'signup-submit')).toBeNull();
    expect(router.url).not.toContain('/login');
  });

  it("shows the auth server's message on 400", async () => {
    const { fixture, http } = setUp();
    await submit(fixture, 'new@example.com', 'short');
    http
      .expectOne(`${AUTH_URL}/api/signup`)
      .flush(
        { error: 'weak_password', message: 'Use at least 12 characters' },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    expect(byTestId(fixture, 'signup-error')?.textContent?.trim()).toBe(
      'Use at least 12 characters',
    );
    expect(byTestId(fixture, 'signup-success')).toBeNull();
  });
});

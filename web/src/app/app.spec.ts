import { TestBed } from '@angular/core/testing';

import { App } from './app';
import { routes } from './app.routes';
import { API_ORIGIN, setUpApp } from './testing/test-setup';

const LESSONS = [
  { id: 1, title: 'What is a JWT', summary: 'Header, payload, signature.', minutes: 12 },
  { id: 2, title: 'Signing keys', summary: 'RS256 and the JWK Set.', minutes: 9 },
];

function q(root: HTMLElement, id: string): HTMLElement | null {
  return root.querySelector(`[data-testid="${id}"]`);
}

describe('App', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  it('logged out: the header shows Login and Sign up, and /lessons opens the login page', async () => {
    const { router } = setUpApp(undefined, routes);
    const fixture = TestBed.createComponent(App);
    await router.navigateByUrl('/lessons');
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;

    expect(root.querySelector('.brand')?.textContent).toContain('Latchkey');
    expect(q(root, 'nav-login')).not.toBeNull();
    expect(q(root, 'nav-signup')).not.toBeNull();
    expect(q(root, 'nav-logout')).toBeNull();
    expect(q(root, 'nav-account')).toBeNull();
    expect(q(root, 'forgot-password-link')?.getAttribute('href')).toBe('/forgot-password');
    expect(router.url).toBe('/login?returnUrl=%2Flessons');
    expect(q(root, 'login-email')).not.toBeNull();
  });

  it('hides Sign up when the auth server does not accept sign-ups', async () => {
    setUpApp({ signupEnabled: false }, routes);
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    expect(q(fixture.nativeElement, 'nav-login')).not.toBeNull();
    expect(q(fixture.nativeElement, 'nav-signup')).toBeNull();
  });

  it('logged in: lists the lessons with the token, and Logout empties the session', async () => {
    const { auth, http, router } = setUpApp({ apiUrl: API_ORIGIN }, routes);
    auth.setSession({ idToken: 'the.jwt', expiresIn: 3600 });
    const fixture = TestBed.createComponent(App);
    await router.navigateByUrl('/lessons');
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;

    const req = http.expectOne(`${API_ORIGIN}/api/lessons`);
    expect(req.request.headers.get('Authorization')).toBe('Bearer the.jwt');
    req.flush(LESSONS);
    await fixture.whenStable();

    expect(q(root, 'lessons-list')).not.toBeNull();
    const items = root.querySelectorAll('[data-testid="lesson-item"]');
    expect(items.length).toBe(2);
    expect(items[0].textContent).toContain('What is a JWT');
    expect(items[0].textContent).toContain('12 min');
    expect(q(root, 'nav-login')).toBeNull();
    expect(q(root, 'nav-account')?.getAttribute('href')).toBe('/account');

    (q(root, 'nav-logout') as HTMLButtonElement).click();
    await fixture.whenStable();

    expect(localStorage.length).toBe(0);
    await vi.waitFor(() => expect(router.url).toBe('/login'));
    expect(q(root, 'nav-login')).not.toBeNull();
  });

  it('shows an error when the lessons cannot be loaded', async () => {
    const { auth, http, router } = setUpApp(undefined, routes);
    auth.setSession({ idToken: 'the.jwt', expiresIn: 3600 });
    const fixture = TestBed.createComponent(App);
    await router.navigateByUrl('/lessons');
    await fixture.whenStable();
    http.expectOne('/api/lessons').flush(null, { status: 503, statusText: 'Unavailable' });
    await fixture.whenStable();
    expect(q(fixture.nativeElement, 'lessons-error')?.textContent).toContain('unavailable');
  });

  it('returns from the hosted login page logged in (cookie mode)', async () => {
    const { auth, http, router } = setUpApp({ delivery: 'cookie' }, routes);
    const fixture = TestBed.createComponent(App);
    const navigation = router.navigateByUrl('/auth/callback'); // waits for the session answer
    await vi
      .waitFor(() => http.expectOne('http://localhost:9000/api/session'), { timeout: 1000 })
      .then((req) => {
        expect(req.request.withCredentials).toBe(true);
        req.flush({ expiresIn: 600 });
      });
    await navigation;
    await fixture.whenStable();
    await vi.waitFor(() => expect(router.url).toBe('/lessons'));
    expect(auth.isLoggedIn()).toBe(true);
    expect(localStorage.getItem('id_token')).toBeNull();
  });
});

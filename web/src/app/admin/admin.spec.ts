import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import { App } from '../app';
import { routes } from '../app.routes';
import { API_ORIGIN, setUpApp, tokenWith } from '../testing/test-setup';
import { progressErrorMessage } from './admin';
import { progressRows } from './progress.service';

const PROGRESS_URL = `${API_ORIGIN}/api/admin/progress`;

function q(root: HTMLElement, id: string): HTMLElement | null {
  return root.querySelector(`[data-testid="${id}"]`);
}

/** The whole app, logged in with a token carrying these roles (none: no `roles` claim). */
async function appWithSession(...roles: string[]) {
  const app = setUpApp({ apiUrl: API_ORIGIN }, routes);
  const token = tokenWith({ sub: 'u1', ...(roles.length > 0 ? { roles } : {}) });
  app.auth.setSession({ idToken: token, expiresIn: 3600 });
  const fixture = TestBed.createComponent(App);
  await fixture.whenStable();
  return { ...app, token, fixture, root: fixture.nativeElement as HTMLElement };
}

describe('admin page', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  it('an admin sees the link, and the page lists every user with the token sent', async () => {
    const { http, router, fixture, root, token } = await appWithSession('admin');
    const link = q(root, 'nav-admin');
    expect(link?.getAttribute('href')).toBe('/admin');

    link!.click();
    await fixture.whenStable();
    expect(router.url).toBe('/admin');
    const req = http.expectOne(PROGRESS_URL);
    expect(req.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    req.flush({ 'user-b': [3], 'user-a': [1, 2] });
    await fixture.whenStable();

    const rows = root.querySelectorAll('[data-testid="admin-progress-row"]');
    expect(rows.length).toBe(2);
    expect(rows[0].textContent).toContain('user-a');
    expect(rows[0].textContent).toContain('1, 2');
    expect(rows[1].textContent).toContain('user-b');
    http.verify();
  });

  it('a session without role admin sees no link, and the guard refuses /admin', async () => {
    const { http, router, fixture, root } = await appWithSession('teacher');
    await router.navigateByUrl('/lessons');
    await fixture.whenStable();
    http.expectOne(`${API_ORIGIN}/api/lessons`).flush([]);
    expect(q(root, 'nav-account')).not.toBeNull(); // logged in
    expect(q(root, 'nav-admin')).toBeNull();

    expect(await router.navigateByUrl('/admin')).toBe(false);
    await fixture.whenStable();
    expect(router.url).toBe('/lessons');
    expect(q(root, 'admin-progress')).toBeNull();
    http.expectNone(PROGRESS_URL);
  });

  it('logged out, /admin opens the login page and comes back to /admin', async () => {
    const { router } = setUpApp(undefined, routes);
    const fixture = TestBed.createComponent(App);
    const root = fixture.nativeElement as HTMLElement;
    await router.navigateByUrl('/admin');
    await fixture.whenStable();
    expect(router.url).toBe('/login?returnUrl=%2Fadmin');
    expect(q(root, 'nav-admin')).toBeNull();
  });

  it('shows the refusal when the API answers 403 (a role removed since the token was issued)', async () => {
    const { http, router, fixture, root } = await appWithSession('admin');
    await router.navigateByUrl('/admin');
    await fixture.whenStable();
    http
      .expectOne(PROGRESS_URL)
      .flush(
        { error: 'insufficient_scope', message: 'x' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    expect(q(root, 'admin-error')?.textContent).toContain('for administrators');
    expect(q(root, 'admin-progress')).toBeNull();
  });

  it('an admin with no completion yet sees an empty table', async () => {
    const { http, router, fixture, root } = await appWithSession('admin');
    await router.navigateByUrl('/admin');
    await fixture.whenStable();
    http.expectOne(PROGRESS_URL).flush({});
    await fixture.whenStable();
    expect(q(root, 'admin-progress')?.textContent).toContain('No lesson completed yet');
  });
});

describe('progressRows', () => {
  it('keeps users with an array of lesson ids, sorted by user, numbers only', () => {
    expect(progressRows({ b: [2, 'x', 5], a: [], c: 'not a list' })).toEqual([
      { user: 'a', completed: [] },
      { user: 'b', completed: [2, 5] },
    ]);
  });

  it('is empty for an answer that is not an object', () => {
    expect(progressRows(null)).toEqual([]);
    expect(progressRows([1, 2])).toEqual([]);
    expect(progressRows('text')).toEqual([]);
  });
});

describe('progressErrorMessage', () => {
  const failure = (status: number) => new HttpErrorResponse({ status });

  it('says nothing for 401 (the session ends), explains 403, 5xx and the rest', () => {
    expect(progressErrorMessage(failure(401))).toBeNull();
    expect(progressErrorMessage(failure(403))).toContain('for administrators');
    expect(progressErrorMessage(failure(503))).toContain('unavailable');
    expect(progressErrorMessage(failure(0))).toContain('unavailable');
    expect(progressErrorMessage(failure(404))).toBe('The progress could not be loaded (HTTP 404).');
  });
});

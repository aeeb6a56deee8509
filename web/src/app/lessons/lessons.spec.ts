import { HttpErrorResponse } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { SERVER_UNAVAILABLE } from '@latchkey/angular';

import { API_ORIGIN, setCookie, setUpApp } from '../testing/test-setup';
import { LessonsPage, XSRF_REFUSED, lessonActionErrorMessage } from './lessons';

const LESSONS = [
  { id: 1, title: 'Tokens', summary: 'What a JWT is.', minutes: 10, completed: false },
  { id: 2, title: 'Cookies', summary: 'HttpOnly and SameSite.', minutes: 12, completed: true },
  { id: 3, title: 'XSRF', summary: 'Double submit.', minutes: 8 }, // no `completed`: false
];

function byTestId(fixture: ComponentFixture<unknown>, id: string): HTMLElement | null {
  return (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="${id}"]`);
}

function allByTestId(fixture: ComponentFixture<unknown>, id: string): HTMLElement[] {
  return Array.from(
    (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>(`[data-testid="${id}"]`),
  );
}

function toggles(fixture: ComponentFixture<unknown>): HTMLButtonElement[] {
  return allByTestId(fixture, 'lesson-complete') as HTMLButtonElement[];
}

async function setUp(config: Parameters<typeof setUpApp>[0] = {}) {
  const app = setUpApp(config, [
    { path: 'lessons', component: LessonsPage },
    { path: 'login', children: [] },
  ]);
  app.auth.setSession({ idToken: 'the.jwt', expiresIn: 3600 });
  const fixture = TestBed.createComponent(LessonsPage);
  const url = `${app.config.value.apiUrl}/api/lessons`;
  app.http.expectOne(url).flush(LESSONS);
  await fixture.whenStable();
  return { ...app, fixture, url };
}

async function click(fixture: ComponentFixture<unknown>, button: HTMLButtonElement) {
  button.click();
  await fixture.whenStable();
}

describe('LessonsPage', () => {
  let http: HttpTestingController | undefined;

  beforeEach(() => localStorage.clear());

  afterEach(() => {
    http?.verify();
    http = undefined;
    localStorage.clear();
    setCookie('XSRF-TOKEN', '');
  });

  it('shows each lesson with its completion state (a missing field is false)', async () => {
    const app = await setUp();
    http = app.http;
    const items = allByTestId(app.fixture, 'lesson-item');
    const buttons = toggles(app.fixture);

    expect(items.map((item) => item.classList.contains('completed'))).toEqual([false, true, false]);
    expect(buttons.map((b) => b.textContent?.trim())).toEqual([
      'Mark complete',
      'Completed ✓',
      'Mark complete',
    ]);
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'true', 'false']);
    expect(buttons.every((b) => !b.disabled)).toBe(true);
    expect(byTestId(app.fixture, 'lesson-action-error')).toBeNull();
  });

  it('marks a lesson completed with PUT …/completion, disabled while in flight', async () => {
    const app = await setUp();
    http = app.http;
    await click(app.fixture, toggles(app.fixture)[0]);

    const req = app.http.expectOne(`${app.url}/1/completion`);
    expect(req.request.method).toBe('PUT');
    expect(req.request.headers.get('Authorization')).toBe('Bearer the.jwt');
    expect(toggles(app.fixture)[0].disabled).toBe(true);
    expect(toggles(app.fixture)[1].disabled).toBe(false); // only the lesson in flight

    req.flush({ id: 1, completed: true });
    await app.fixture.whenStable();

    const button = toggles(app.fixture)[0];
    expect(button.disabled).toBe(false);
    expect(button.textContent?.trim()).toBe('Completed ✓');
    expect(button.getAttribute('aria-pressed')).toBe('true');
    expect(allByTestId(app.fixture, 'lesson-item')[0].classList).toContain('completed');
  });

  it('un-marks a completed lesson with DELETE …/completion', async () => {
    const app = await setUp();
    http = app.http;
    await click(app.fixture, toggles(app.fixture)[1]);

    const req = app.http.expectOne(`${app.url}/2/completion`);
    expect(req.request.method).toBe('DELETE');
    expect(toggles(app.fixture)[1].disabled).toBe(true);
    req.flush({ id: 2, completed: false });
    await app.fixture.whenStable();

    const button = toggles(app.fixture)[1];
    expect(button.disabled).toBe(false);
    expect(button.textContent?.trim()).toBe('Mark complete');
    expect(button.getAttribute('aria-pressed')).toBe('false');
    expect(allByTestId(app.fixture, 'lesson-item')[1].classList).not.toContain('completed');
  });

  it('ignores clicks while the request is in flight (one request only)', async () => {
    const app = await setUp();
    http = app.http;
    const button = toggles(app.fixture)[0];
    await click(app.fixture, button);
    button.disabled = false; // even if the button were re-enabled
    await click(app.fixture, button);
    app.http.expectOne(`${app.url}/1/completion`).flush({ id: 1, completed: true });
    await app.fixture.whenStable();
  });

  it('uses apiUrl and, in cookie mode, sends credentials and X-XSRF-TOKEN', async () => {
    setCookie('XSRF-TOKEN', 'xsrf-123');
    const app = await setUp({ delivery: 'cookie', apiUrl: API_ORIGIN });
    http = app.http;
    expect(app.url).toBe(`${API_ORIGIN}/api/lessons`);
    await click(app.fixture, toggles(app.fixture)[2]);

    const req = app.http.expectOne(`${API_ORIGIN}/api/lessons/3/completion`);
    expect(req.request.method).toBe('PUT');
    expect(req.request.withCredentials).toBe(true);
    expect(req.request.headers.get('X-XSRF-TOKEN')).toBe('xsrf-123');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({ id: 3, completed: true });
    await app.fixture.whenStable();
    expect(toggles(app.fixture)[2].textContent?.trim()).toBe('Completed ✓');
  });

  it('on 403 says the XSRF token was missing and keeps the state', async () => {
    const app = await setUp();
    http = app.http;
    await click(app.fixture, toggles(app.fixture)[0]);
    app.http
      .expectOne(`${app.url}/1/completion`)
      .flush({ error: 'forbidden' }, { status: 403, statusText: 'Forbidden' });
    await app.fixture.whenStable();

    expect(byTestId(app.fixture, 'lesson-action-error')?.textContent?.trim()).toBe(
      'The server refused the change (missing XSRF token).',
    );
    const button = toggles(app.fixture)[0];
    expect(button.disabled).toBe(false);
    expect(button.textContent?.trim()).toBe('Mark complete');
    expect(allByTestId(app.fixture, 'lesson-item')[0].classList).not.toContain('completed');
  });

  it('on 500 says the server is unavailable; the next success clears the message', async () => {
    const app = await setUp();
    http = app.http;
    await click(app.fixture, toggles(app.fixture)[1]);
    app.http
      .expectOne(`${app.url}/2/completion`)
      .flush(null, { status: 500, statusText: 'Server Error' });
    await app.fixture.whenStable();

    expect(byTestId(app.fixture, 'lesson-action-error')?.textContent?.trim()).toBe(
      SERVER_UNAVAILABLE,
    );
    expect(toggles(app.fixture)[1].textContent?.trim()).toBe('Completed ✓');

    await click(app.fixture, toggles(app.fixture)[1]);
    expect(byTestId(app.fixture, 'lesson-action-error')).toBeNull();
    app.http.expectOne(`${app.url}/2/completion`).flush({ id: 2, completed: false });
    await app.fixture.whenStable();
    expect(toggles(app.fixture)[1].textContent?.trim()).toBe('Mark complete');
  });

  it('on 401 shows no message: the interceptor ends the session', async () => {
    const app = await setUp();
    http = app.http;
    await click(app.fixture, toggles(app.fixture)[0]);
    app.http
      .expectOne(`${app.url}/1/completion`)
      .flush(null, { status: 401, statusText: 'Unauthorized' });
    await app.fixture.whenStable();

    expect(byTestId(app.fixture, 'lesson-action-error')).toBeNull();
    expect(app.auth.getToken()).toBeNull();
    // Ending the session tells the auth server too (every logout does).
    app.http
      .expectOne((req) => req.url.endsWith('/api/logout'))
      .flush(null, { status: 204, statusText: 'No Content' });
  });
});

describe('lessonActionErrorMessage', () => {
  it.each([
    [403, XSRF_REFUSED],
    [0, SERVER_UNAVAILABLE],
    [502, SERVER_UNAVAILABLE],
    [404, 'The change could not be saved (HTTP 404).'],
    [409, 'The change could not be saved (HTTP 409).'],
  ])('HTTP %i → %s', (status, message) => {
    expect(lessonActionErrorMessage(new HttpErrorResponse({ status }))).toBe(message);
  });

  it('is null for 401', () => {
    expect(lessonActionErrorMessage(new HttpErrorResponse({ status: 401 }))).toBeNull();
  });
});

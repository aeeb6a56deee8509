import { TestBed } from '@angular/core/testing';

import {
  CREATION_OPTIONS,
  bytes,
  installBrowser,
  removeBrowser,
  settle,
} from '../../../projects/latchkey-angular/src/lib/testing/fake-authenticator';
import { AUTH_URL, setUpApp } from '../testing/test-setup';
import { PasskeysSection } from './passkeys';

function byTestId(root: Element, id: string): HTMLElement | null {
  return root.querySelector(`[data-testid="${id}"]`);
}

const LAPTOP = { id: 'pk1', name: 'Laptop', createdAt: '2026-03-01T10:00:00Z' };

/** A credential as a browser without `toJSON()` creates it. */
function created() {
  return {
    id: 'bmV3',
    rawId: bytes(0x6e, 0x65, 0x77),
    type: 'public-key',
    authenticatorAttachment: 'platform',
    getClientExtensionResults: () => ({}),
    response: {
      clientDataJSON: bytes(1),
      attestationObject: bytes(3),
      getTransports: () => ['internal'],
    },
  };
}

describe('PasskeysSection', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    removeBrowser();
    localStorage.clear();
  });

  async function open(passkeys: object[]) {
    const app = setUpApp();
    app.auth.setSession({ idToken: 'the.jwt.sig', expiresIn: 600 });
    const fixture = TestBed.createComponent(PasskeysSection);
    fixture.detectChanges();
    const list = app.http.expectOne(`${AUTH_URL}/api/passkeys`);
    expect(list.request.headers.get('Authorization')).toBe('Bearer the.jwt.sig');
    list.flush({ passkeys });
    await fixture.whenStable();
    return { ...app, fixture, root: fixture.nativeElement as Element };
  }

  it('lists, adds a named passkey (the browser creates it), and lists again', async () => {
    const browser = installBrowser(async () => created());
    const { fixture, http, root } = await open([]);
    expect(byTestId(root, 'passkeys-empty')).not.toBeNull();

    (byTestId(root, 'passkey-add') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(byTestId(root, 'passkey-error')?.textContent).toContain('name');
    http.expectNone(`${AUTH_URL}/api/passkeys/registration/options`);

    const name = byTestId(root, 'passkey-new-name') as HTMLInputElement;
    name.value = 'Laptop';
    name.dispatchEvent(new Event('input'));
    (byTestId(root, 'passkey-add') as HTMLButtonElement).click();
    http.expectOne(`${AUTH_URL}/api/passkeys/registration/options`).flush(CREATION_OPTIONS);
    await settle();
    expect(browser.calls.map((c) => c.kind)).toEqual(['create']);
    const register = http.expectOne(`${AUTH_URL}/api/passkeys/registration`);
    expect(register.request.body).toEqual(expect.objectContaining({ id: 'bmV3', name: 'Laptop' }));
    register.flush(LAPTOP, { status: 201, statusText: 'Created' });
    http.expectOne(`${AUTH_URL}/api/passkeys`).flush({ passkeys: [LAPTOP] });
    await fixture.whenStable();
    expect(byTestId(root, 'passkey-name')?.textContent).toBe('Laptop');
    expect(byTestId(root, 'passkey-error')).toBeNull();
  });

  it('says when the browser refuses, and removes a passkey', async () => {
    installBrowser(() => Promise.reject(new DOMException('no', 'NotAllowedError')));
    const { fixture, http, root } = await open([LAPTOP]);
    const name = byTestId(root, 'passkey-new-name') as HTMLInputElement;
    name.value = 'Phone';
    name.dispatchEvent(new Event('input'));
    (byTestId(root, 'passkey-add') as HTMLButtonElement).click();
    http.expectOne(`${AUTH_URL}/api/passkeys/registration/options`).flush(CREATION_OPTIONS);
    await settle();
    await fixture.whenStable();
    expect(byTestId(root, 'passkey-error')?.textContent).toContain('could not be verified');
    http.expectNone(`${AUTH_URL}/api/passkeys/registration`);

    (byTestId(root, 'passkey-remove') as HTMLButtonElement).click();
    const remove = http.expectOne(`${AUTH_URL}/api/passkeys/pk1`);
    expect(remove.request.method).toBe('DELETE');
    remove.flush({ passkeys: [] });
    await fixture.whenStable();
    expect(byTestId(root, 'passkeys-empty')).not.toBeNull();
  });

  it('a browser without passkeys is told so and offers no button', async () => {
    const { root } = await open([]);
    expect(byTestId(root, 'passkeys-unsupported')).not.toBeNull();
    expect(byTestId(root, 'passkey-add')).toBeNull();
  });
});

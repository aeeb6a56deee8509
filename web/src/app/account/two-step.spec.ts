import { TestBed } from '@angular/core/testing';

import { AUTH_URL, setUpApp } from '../testing/test-setup';
import { TwoStepSection } from './two-step';

function byTestId(root: Element, id: string): HTMLElement | null {
  return root.querySelector(`[data-testid="${id}"]`);
}

function type(root: Element, id: string, value: string): void {
  const input = byTestId(root, id) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('TwoStepSection', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  async function open(summary: object) {
    const app = setUpApp();
    app.auth.setSession({ idToken: 'the.jwt.sig', expiresIn: 600 });
    const fixture = TestBed.createComponent(TwoStepSection);
    fixture.detectChanges();
    const req = app.http.expectOne(`${AUTH_URL}/api/mfa`);
    expect(req.request.headers.get('Authorization')).toBe('Bearer the.jwt.sig');
    req.flush(summary);
    await fixture.whenStable();
    return { ...app, fixture, root: fixture.nativeElement as Element };
  }

  it('enrols: QR code and key, a code turns it on, the recovery codes are shown once', async () => {
    const { fixture, http, root } = await open({ totp: false, passkeys: [], recoveryCodesLeft: 0 });
    expect(byTestId(root, 'totp-status')?.textContent).toContain('Off');

    (byTestId(root, 'totp-start') as HTMLButtonElement).click();
    http.expectOne(`${AUTH_URL}/api/mfa/totp`).flush({
      secret: 'JBSWY3DPEHPK3PXP',
      otpauthUri: 'otpauth://totp/Latchkey:ada@example.com?secret=JBSWY3DPEHPK3PXP',
    });
    await fixture.whenStable();
    expect(byTestId(root, 'totp-secret')?.textContent).toBe('JBSWY3DPEHPK3PXP');
    const canvas = byTestId(root, 'totp-qr') as HTMLCanvasElement;
    expect(Number(canvas.dataset['modules'])).toBeGreaterThanOrEqual(25); // drawn here, no service

    type(root, 'totp-code', '123456');
    (byTestId(root, 'totp-confirm') as HTMLButtonElement).click();
    const confirm = http.expectOne(`${AUTH_URL}/api/mfa/totp/confirm`);
    expect(confirm.request.body).toEqual({ code: '123456' });
    confirm.flush({ recoveryCodes: ['AAAAA-BBBBB', 'CCCCC-DDDDD'] });
    http.expectOne(`${AUTH_URL}/api/mfa`).flush({ totp: true, passkeys: [], recoveryCodesLeft: 2 });
    await fixture.whenStable();
    expect(byTestId(root, 'recovery-codes')?.querySelectorAll('li').length).toBe(2);

    (byTestId(root, 'recovery-codes-done') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(byTestId(root, 'recovery-codes')).toBeNull();
    expect(byTestId(root, 'totp-status')?.textContent).toContain('On');
    expect(byTestId(root, 'recovery-codes-left')?.textContent).toBe('2');
  });

  it('a wrong code is said and the set-up waits; turning off takes a current code', async () => {
    const { fixture, http, root } = await open({ totp: true, passkeys: [], recoveryCodesLeft: 9 });
    type(root, 'totp-manage-code', '000000');
    (byTestId(root, 'totp-remove') as HTMLButtonElement).click();
    const refused = http.expectOne(`${AUTH_URL}/api/mfa/totp`);
    expect(refused.request.method).toBe('DELETE');
    refused.flush({ error: 'invalid_code' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(byTestId(root, 'totp-error')?.textContent).toContain('code is not valid');

    type(root, 'totp-manage-code', '123456');
    (byTestId(root, 'totp-remove') as HTMLButtonElement).click();
    http
      .expectOne(`${AUTH_URL}/api/mfa/totp`)
      .flush({ totp: false, passkeys: [], recoveryCodesLeft: 0 });
    await fixture.whenStable();
    expect(byTestId(root, 'totp-status')?.textContent).toContain('Off');
  });
});

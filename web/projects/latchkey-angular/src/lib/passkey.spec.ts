import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { LoginResponse } from './auth.service';
import { AUTH_ENDPOINT } from './http-context';
import { accountErrorMessage, passkeyErrorMessage } from './http-errors';
import { Passkey, PasskeyService } from './passkey.service';
import { ID_TOKEN_KEY } from './storage';
import {
  ASSERTION_JSON,
  CREATION_OPTIONS,
  REQUEST_OPTIONS,
  assertion,
  bytes,
  hex,
  installBrowser,
  removeBrowser,
  setGlobal,
  settle,
} from './testing/fake-authenticator';
import { AUTH_URL, setCookie, setUpApp } from './testing/test-setup';
import {
  credentialToJSON,
  fromBase64url,
  parseCreationOptions,
  parseRequestOptions,
  toBase64url,
} from './webauthn';

function cleanUp(): void {
  TestBed.inject(Router, null)?.dispose();
  removeBrowser();
  localStorage.clear();
  setCookie('XSRF-TOKEN', '');
}

describe('WebAuthn JSON', () => {
  afterEach(removeBrowser);

  it('base64url: no padding, - and _ in place of + and /, and back', () => {
    expect(toBase64url(bytes(0xfb, 0xff))).toBe('-_8');
    expect(toBase64url(new Uint8Array([9, 0xfb, 0xff]).subarray(1))).toBe('-_8');
    expect(hex(fromBase64url('-_8'))).toBe('fbff');
    expect(hex(fromBase64url('-_8='))).toBe('fbff');
    expect(toBase64url(new Uint8Array(0))).toBe('');
    expect(() => fromBase64url('+/8=')).toThrow('Not base64url');
  });

  it('without the Level 3 helpers, decodes the options binary fields here', () => {
    setGlobal('PublicKeyCredential', class {});
    const creation = parseCreationOptions(CREATION_OPTIONS);
    expect(hex(creation.challenge)).toBe('070809');
    expect(hex(creation.user.id)).toBe('040506');
    expect(creation.user.name).toBe('ada@example.com');
    expect(hex(creation.excludeCredentials?.[0].id)).toBe('0a0b0c');
    expect(creation.authenticatorSelection?.residentKey).toBe('required');

    const request = parseRequestOptions({
      ...REQUEST_OPTIONS,
      allowCredentials: [{ type: 'public-key', id: 'CgsM', transports: ['internal'] }],
    });
    expect(hex(request.challenge)).toBe('010203');
    expect(hex(request.allowCredentials?.[0].id)).toBe('0a0b0c');
    expect(request.allowCredentials?.[0].transports).toEqual(['internal']);
    expect(request.userVerification).toBe('required');
  });

  it("uses the browser's own helpers where it has them", () => {
    const parsed = { challenge: bytes(42) };
    setGlobal(
      'PublicKeyCredential',
      class {
        static parseRequestOptionsFromJSON = () => parsed;
      },
    );
    expect(parseRequestOptions(REQUEST_OPTIONS)).toBe(parsed);
    const own = { toJSON: () => ({ id: 'from-the-browser' }) };
    expect(credentialToJSON(own as unknown as PublicKeyCredential)).toEqual({
      id: 'from-the-browser',
    });
  });

  it("without toJSON, encodes an assertion's and an attestation's fields as toJSON would", () => {
    expect(credentialToJSON(assertion() as unknown as PublicKeyCredential)).toEqual(ASSERTION_JSON);
    const created = {
      ...assertion(),
      authenticatorAttachment: null,
      response: {
        clientDataJSON: bytes(1),
        attestationObject: bytes(3),
        getTransports: () => ['internal', 'hybrid'],
      },
    };
    expect(credentialToJSON(created as unknown as PublicKeyCredential)).toEqual({
      id: 'Y3JlZA',
      rawId: 'Y3JlZA',
      type: 'public-key',
      authenticatorAttachment: undefined,
      clientExtensionResults: {},
      response: {
        clientDataJSON: 'AQ',
        attestationObject: 'Aw',
        transports: ['internal', 'hybrid'],
      },
    });
  });
});

describe('signing in with a passkey', () => {
  const NOW = new Date('2026-03-01T10:00:00Z');
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
    cleanUp();
  });

  it('loginWithPasskey: options, the browser signs the challenge, the assertion opens the session', async () => {
    const browser = installBrowser();
    const { auth, http } = setUpApp();
    const sessions: LoginResponse[] = [];
    auth.loginWithPasskey().subscribe((s) => sessions.push(s));

    const options = http.expectOne(`${AUTH_URL}/api/passkeys/login/options`);
    expect(options.request.method).toBe('POST');
    expect(options.request.withCredentials).toBe(true);
    expect(options.request.context.get(AUTH_ENDPOINT)).toBe(true);
    expect(options.request.headers.has('Authorization')).toBe(false);
    options.flush(REQUEST_OPTIONS);
    await settle();

    expect(browser.calls).toHaveLength(1);
    const asked = browser.calls[0].options;
    expect(browser.calls[0].kind).toBe('get');
    expect(asked.mediation).toBe('optional');
    expect(hex(asked.publicKey?.challenge)).toBe('010203');
    expect(asked.publicKey?.allowCredentials).toBeUndefined(); // discoverable: the key names the user
    expect(asked.signal).toBeInstanceOf(AbortSignal);

    const login = http.expectOne(`${AUTH_URL}/api/passkeys/login`);
    expect(login.request.method).toBe('POST');
    expect(login.request.withCredentials).toBe(true);
    expect(login.request.body).toEqual(ASSERTION_JSON);
    login.flush({ idToken: 'the.jwt.sig', expiresIn: 600 });

    expect(sessions).toEqual([{ idToken: 'the.jwt.sig', expiresIn: 600 }]);
    expect(auth.loggedIn()).toBe(true);
    expect(localStorage.getItem(ID_TOKEN_KEY)).toBe('the.jwt.sig');
    http.verify();
  });

  it('the browser refusing (user not verified, cancelled) posts nothing and opens no session', async () => {
    installBrowser(() => Promise.reject(new DOMException('no', 'NotAllowedError')));
    const { auth, http } = setUpApp();
    let error: unknown = null;
    auth.loginWithPasskey().subscribe({ error: (e) => (error = e) });
    http.expectOne(`${AUTH_URL}/api/passkeys/login/options`).flush(REQUEST_OPTIONS);
    await settle();

    expect(error).toBeInstanceOf(DOMException);
    expect(passkeyErrorMessage(error)).toContain('could not be verified');
    expect(auth.loggedIn()).toBe(false);
    http.expectNone(`${AUTH_URL}/api/passkeys/login`);
    http.verify();
  });

  it('the auth server refusing the assertion opens no session', async () => {
    installBrowser();
    const { auth, http } = setUpApp();
    let error: unknown = null;
    auth.loginWithPasskey().subscribe({ error: (e) => (error = e) });
    http.expectOne(`${AUTH_URL}/api/passkeys/login/options`).flush(REQUEST_OPTIONS);
    await settle();
    http
      .expectOne(`${AUTH_URL}/api/passkeys/login`)
      .flush({ error: 'invalid_passkey' }, { status: 401, statusText: 'Unauthorized' });

    expect(passkeyErrorMessage(error)).toContain('passkey was not accepted');
    expect(auth.loggedIn()).toBe(false);
    expect(localStorage.getItem(ID_TOKEN_KEY)).toBeNull();
  });

  it('conditional mediation waits for the autofill; unsubscribing aborts the request', async () => {
    const browser = installBrowser(() => new Promise(() => undefined)); // nothing picked yet
    const { auth, http } = setUpApp();
    const waiting = auth.loginWithPasskey('conditional').subscribe();
    http.expectOne(`${AUTH_URL}/api/passkeys/login/options`).flush(REQUEST_OPTIONS);
    await settle();

    const asked = browser.calls[0].options;
    expect(asked.mediation).toBe('conditional');
    expect(asked.signal?.aborted).toBe(false);
    waiting.unsubscribe();
    expect(asked.signal?.aborted).toBe(true);
    http.verify();
  });

  it('a browser without WebAuthn fails with NotSupportedError and a sentence for it', async () => {
    const { auth, http } = setUpApp();
    let error: unknown = null;
    auth.loginWithPasskey().subscribe({ error: (e) => (error = e) });
    http.expectOne(`${AUTH_URL}/api/passkeys/login/options`).flush(REQUEST_OPTIONS);
    await settle();
    expect((error as DOMException).name).toBe('NotSupportedError');
    expect(passkeyErrorMessage(error)).toBe('This browser cannot use passkeys.');
  });

  describe('as the second step', () => {
    const STEP = {
      mfaRequired: true,
      mfaToken: 'opaque-token',
      methods: ['passkey', 'totp', 'recovery_code'],
    };

    it('binds the options and the assertion to the pending step, then opens the session', async () => {
      const browser = installBrowser();
      const { auth, http } = setUpApp();
      auth.login('ada@example.com', 'pw').subscribe();
      http.expectOne(`${AUTH_URL}/api/login`).flush(STEP);
      expect(auth.secondFactor()?.methods).toContain('passkey');

      let done = false;
      auth.completeSecondFactorWithPasskey().subscribe(() => (done = true));
      const options = http.expectOne(`${AUTH_URL}/api/passkeys/login/options`);
      expect(options.request.body).toEqual({ mfaToken: 'opaque-token' });
      expect(options.request.withCredentials).toBe(true); // the step's binding cookie
      options.flush({
        ...REQUEST_OPTIONS,
        allowCredentials: [{ type: 'public-key', id: 'Y3JlZA' }],
      });
      await settle();
      expect(hex(browser.calls[0].options.publicKey?.allowCredentials?.[0].id)).toBe(
        hex(new TextEncoder().encode('cred')),
      );

      const finish = http.expectOne(`${AUTH_URL}/api/login/mfa`);
      expect(finish.request.withCredentials).toBe(true);
      expect(finish.request.context.get(AUTH_ENDPOINT)).toBe(true);
      expect(finish.request.body).toEqual({ mfaToken: 'opaque-token', credential: ASSERTION_JSON });
      finish.flush({ idToken: 'the.jwt.sig', expiresIn: 600 });

      expect(done).toBe(true);
      expect(auth.loggedIn()).toBe(true);
      expect(auth.secondFactor()).toBeNull();
    });

    it('a refused passkey keeps the step (a code may follow); an expired step ends it', async () => {
      const browser = installBrowser(() =>
        Promise.reject(new DOMException('no', 'NotAllowedError')),
      );
      const { auth, http } = setUpApp();
      auth.login('ada@example.com', 'pw').subscribe();
      http.expectOne(`${AUTH_URL}/api/login`).flush(STEP);

      let error: unknown = null;
      auth.completeSecondFactorWithPasskey().subscribe({ error: (e) => (error = e) });
      http.expectOne(`${AUTH_URL}/api/passkeys/login/options`).flush(REQUEST_OPTIONS);
      await settle();
      expect((error as DOMException).name).toBe('NotAllowedError');
      expect(auth.secondFactor()).not.toBeNull();

      browser.answer = async () => assertion();
      auth.completeSecondFactorWithPasskey().subscribe({ error: (e) => (error = e) });
      http.expectOne(`${AUTH_URL}/api/passkeys/login/options`).flush(REQUEST_OPTIONS);
      await settle();
      http
        .expectOne(`${AUTH_URL}/api/login/mfa`)
        .flush({ error: 'mfa_expired' }, { status: 410, statusText: 'Gone' });
      expect(passkeyErrorMessage(error)).toContain('enter your password again');
      expect(auth.secondFactor()).toBeNull();
      expect(auth.loggedIn()).toBe(false);
    });

    it('without a pending step it asks nothing', () => {
      installBrowser();
      const { auth, http } = setUpApp();
      let error: unknown = null;
      auth.completeSecondFactorWithPasskey().subscribe({ error: (e) => (error = e) });
      expect(error).toBeInstanceOf(Error);
      http.verify();
    });
  });
});

describe('PasskeyService', () => {
  beforeEach(() => localStorage.clear());
  afterEach(cleanUp);

  function setUp(delivery: 'body' | 'cookie' = 'body') {
    const app = setUpApp({ delivery });
    return { ...app, passkeys: TestBed.inject(PasskeyService) };
  }

  it('add: creation options, the browser creates the key, the credential and its name go back', async () => {
    const created = {
      ...assertion(),
      response: {
        clientDataJSON: bytes(1),
        attestationObject: bytes(3),
        getTransports: () => ['internal'],
      },
    };
    const browser = installBrowser(async () => created);
    const { auth, passkeys, http } = setUp();
    auth.setSession({ idToken: 'the.jwt.sig', expiresIn: 600 });

    const added: Passkey[] = [];
    passkeys.add('  Laptop ').subscribe((p) => added.push(p));
    const options = http.expectOne(`${AUTH_URL}/api/passkeys/registration/options`);
    expect(options.request.method).toBe('POST');
    expect(options.request.headers.get('Authorization')).toBe('Bearer the.jwt.sig');
    expect(options.request.context.get(AUTH_ENDPOINT)).toBe(true);
    options.flush(CREATION_OPTIONS);
    await settle();

    expect(browser.calls[0].kind).toBe('create');
    const publicKey = (browser.calls[0].options as CredentialCreationOptions).publicKey;
    expect(hex(publicKey?.challenge)).toBe('070809');
    expect(hex(publicKey?.user.id)).toBe('040506');
    expect(hex(publicKey?.excludeCredentials?.[0].id)).toBe('0a0b0c');

    const register = http.expectOne(`${AUTH_URL}/api/passkeys/registration`);
    expect(register.request.headers.get('Authorization')).toBe('Bearer the.jwt.sig');
    expect(register.request.body).toEqual({
      id: 'Y3JlZA',
      rawId: 'Y3JlZA',
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: { clientDataJSON: 'AQ', attestationObject: 'Aw', transports: ['internal'] },
      name: 'Laptop',
    });
    const passkey = { id: 'pk1', name: 'Laptop', createdAt: '2026-03-01T10:00:00Z' };
    register.flush(passkey, { status: 201, statusText: 'Created' });
    expect(added).toEqual([passkey]);
    http.verify();
  });

  it('a second key on the same authenticator: the browser refuses and nothing is registered', async () => {
    installBrowser(() => Promise.reject(new DOMException('known', 'InvalidStateError')));
    const { passkeys, http } = setUp();
    let error: unknown = null;
    passkeys.add('Again').subscribe({ error: (e) => (error = e) });
    http.expectOne(`${AUTH_URL}/api/passkeys/registration/options`).flush(CREATION_OPTIONS);
    await settle();
    expect(accountErrorMessage(error)).toBe(
      'This device already holds a passkey for your account.',
    );
    http.verify();
  });

  it('lists and removes, in cookie mode with the cookie and the XSRF header', () => {
    setCookie('XSRF-TOKEN', 'xsrf-value');
    const { passkeys, http } = setUp('cookie');
    let listed: readonly Passkey[] = [];
    passkeys.list().subscribe((l) => (listed = l));
    const list = http.expectOne(`${AUTH_URL}/api/passkeys`);
    expect(list.request.method).toBe('GET');
    expect(list.request.withCredentials).toBe(true);
    const one = { id: 'pk/1', name: 'Phone', createdAt: '2026-03-01T10:00:00Z' };
    list.flush({ passkeys: [one] });
    expect(listed).toEqual([one]);

    let left: readonly Passkey[] | null = null;
    passkeys.remove('pk/1').subscribe((l) => (left = l));
    const remove = http.expectOne(`${AUTH_URL}/api/passkeys/pk%2F1`);
    expect(remove.request.method).toBe('DELETE');
    expect(remove.request.headers.get('X-XSRF-TOKEN')).toBe('xsrf-value');
    expect(remove.request.headers.has('Authorization')).toBe(false);
    remove.flush({ passkeys: [] });
    expect(left).toEqual([]);
  });
});

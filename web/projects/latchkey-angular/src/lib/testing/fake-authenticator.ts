/*
 * jsdom has no WebAuthn: a test puts in the browser's part (`PublicKeyCredential`,
 * `navigator.credentials`) an authenticator that records what it was asked and answers with
 * fixed bytes, so the test sees what the client sends the browser and the auth server. It
 * imports nothing of the library (the application's tests use it too). The real ceremony, with
 * Chromium's virtual authenticator, is demo's PasskeyBrowserTest.
 */

export const bytes = (...values: number[]) => new Uint8Array(values).buffer;

export const REQUEST_OPTIONS: PublicKeyCredentialRequestOptionsJSON = {
  challenge: 'AQID', // 01 02 03
  rpId: 'localhost',
  userVerification: 'required',
};

export const CREATION_OPTIONS: PublicKeyCredentialCreationOptionsJSON = {
  rp: { id: 'localhost', name: 'Latchkey' },
  user: { id: 'BAUG', name: 'ada@example.com', displayName: 'ada@example.com' }, // 04 05 06
  challenge: 'BwgJ', // 07 08 09
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  excludeCredentials: [{ type: 'public-key', id: 'CgsM' }], // 0a 0b 0c
  authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
};

/** An assertion as a browser without `toJSON()` gives it. */
export function assertion() {
  return {
    id: 'Y3JlZA',
    rawId: new TextEncoder().encode('cred').buffer,
    type: 'public-key',
    authenticatorAttachment: 'platform',
    getClientExtensionResults: () => ({}),
    response: {
      clientDataJSON: bytes(1),
      authenticatorData: bytes(2),
      signature: bytes(0xfb, 0xff), // base64 "+/8=", base64url "-_8"
      userHandle: bytes(4, 5, 6),
    },
  };
}

export const ASSERTION_JSON = {
  id: 'Y3JlZA',
  rawId: 'Y3JlZA',
  type: 'public-key',
  authenticatorAttachment: 'platform',
  clientExtensionResults: {},
  response: { clientDataJSON: 'AQ', authenticatorData: 'Ag', signature: '-_8', userHandle: 'BAUG' },
};

export interface FakeBrowser {
  calls: { kind: 'get' | 'create'; options: CredentialRequestOptions }[];
  answer: () => Promise<unknown>;
}

/** Puts a recording authenticator where the browser's would be. */
export function installBrowser(
  answer: () => Promise<unknown> = async () => assertion(),
): FakeBrowser {
  const browser: FakeBrowser = { calls: [], answer };
  setGlobal('PublicKeyCredential', class {});
  Object.defineProperty(navigator, 'credentials', {
    configurable: true,
    value: {
      get: (options: CredentialRequestOptions) => {
        browser.calls.push({ kind: 'get', options });
        return browser.answer();
      },
      create: (options: CredentialRequestOptions) => {
        browser.calls.push({ kind: 'create', options });
        return browser.answer();
      },
    },
  });
  return browser;
}

/** Lets the browser's promise settle (the timers are fake; microtasks are not). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

export function hex(buffer: BufferSource | undefined): string {
  const view = ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer as ArrayBuffer);
  return Array.from(view, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Puts a global in place (as a browser's own would be), for {@link removeBrowser} to take out. */
export function setGlobal(name: 'PublicKeyCredential', value: unknown): void {
  Object.defineProperty(globalThis, name, { configurable: true, writable: true, value });
}

/** Takes the fake authenticator out again: a browser without WebAuthn, as jsdom is. */
export function removeBrowser(): void {
  delete (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
  delete (navigator as { credentials?: unknown }).credentials;
}

import { Observable } from 'rxjs';

/**
 * The browser's WebAuthn calls between the auth server's JSON and the credential's JSON
 * (WebAuthn Level 3): the options arrive as `PublicKeyCredential*OptionsJSON` (binary fields in
 * base64url), the credential goes back as its `toJSON()`. Where the browser has the Level 3
 * helpers (`PublicKeyCredential.parseCreationOptionsFromJSON`, `parseRequestOptionsFromJSON`,
 * `credential.toJSON()`) they are used; elsewhere the few binary fields are converted here.
 */

/** A credential as `toJSON()` gives it: what the auth server's passkey endpoints take. */
export type PasskeyCredentialJSON = Record<string, unknown>;

/** How `navigator.credentials.get` asks: a dialog, or the browser's autofill (conditional UI). */
export type PasskeyMediation = 'optional' | 'conditional';

/** Whether this browser can create and use passkeys at all. */
export function passkeysSupported(): boolean {
  return (
    typeof PublicKeyCredential !== 'undefined' &&
    typeof navigator !== 'undefined' &&
    typeof navigator.credentials?.create === 'function'
  );
}

/**
 * Whether the browser offers passkeys in an input's autofill (`autocomplete="username webauthn"`),
 * for {@link getPasskey} with mediation `conditional`.
 */
export async function conditionalMediationAvailable(): Promise<boolean> {
  if (!passkeysSupported()) {
    return false;
  }
  const check = PublicKeyCredential.isConditionalMediationAvailable;
  return typeof check === 'function' ? check.call(PublicKeyCredential) : false;
}

/**
 * `navigator.credentials.create` with the auth server's creation options; emits the new
 * credential's JSON. Unsubscribing aborts the ceremony.
 */
export function createPasskey(
  options: PublicKeyCredentialCreationOptionsJSON,
): Observable<PasskeyCredentialJSON> {
  return ceremony((signal) =>
    navigator.credentials.create({ publicKey: parseCreationOptions(options), signal }),
  );
}

/**
 * `navigator.credentials.get` with the auth server's request options; emits the assertion's
 * JSON. Unsubscribing aborts the ceremony (needed to leave a conditional request).
 */
export function getPasskey(
  options: PublicKeyCredentialRequestOptionsJSON,
  mediation: PasskeyMediation = 'optional',
): Observable<PasskeyCredentialJSON> {
  return ceremony((signal) =>
    navigator.credentials.get({
      publicKey: parseRequestOptions(options),
      mediation: mediation as CredentialMediationRequirement,
      signal,
    }),
  );
}

function ceremony(
  start: (signal: AbortSignal) => Promise<Credential | null>,
): Observable<PasskeyCredentialJSON> {
  return new Observable<PasskeyCredentialJSON>((subscriber) => {
    if (!passkeysSupported()) {
      subscriber.error(new DOMException('This browser has no passkeys', 'NotSupportedError'));
      return undefined;
    }
    const abort = new AbortController();
    let settled = false;
    start(abort.signal).then(
      (credential) => {
        settled = true;
        if (credential === null) {
          subscriber.error(new DOMException('No passkey was chosen', 'NotAllowedError'));
          return;
        }
        subscriber.next(credentialToJSON(credential as PublicKeyCredential));
        subscriber.complete();
      },
      (error: unknown) => {
        settled = true;
        subscriber.error(error);
      },
    );
    return () => {
      if (!settled) {
        abort.abort(); // the caller stopped waiting: the browser ends its request
      }
    };
  });
}

/** The creation options with their binary fields as buffers (Level 3 helper where present). */
export function parseCreationOptions(
  json: PublicKeyCredentialCreationOptionsJSON,
): PublicKeyCredentialCreationOptions {
  if (levelThree('parseCreationOptionsFromJSON')) {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    user: { ...json.user, id: fromBase64url(json.user.id) },
    excludeCredentials: json.excludeCredentials?.map(descriptor),
  } as PublicKeyCredentialCreationOptions;
}

/** The request options with their binary fields as buffers (Level 3 helper where present). */
export function parseRequestOptions(
  json: PublicKeyCredentialRequestOptionsJSON,
): PublicKeyCredentialRequestOptions {
  if (levelThree('parseRequestOptionsFromJSON')) {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    allowCredentials: json.allowCredentials?.map(descriptor),
  } as PublicKeyCredentialRequestOptions;
}

function levelThree(
  helper: 'parseCreationOptionsFromJSON' | 'parseRequestOptionsFromJSON',
): boolean {
  return (
    typeof PublicKeyCredential !== 'undefined' && typeof PublicKeyCredential[helper] === 'function'
  );
}

function descriptor(json: PublicKeyCredentialDescriptorJSON): PublicKeyCredentialDescriptor {
  return { ...json, id: fromBase64url(json.id) } as PublicKeyCredentialDescriptor;
}

/** The credential's JSON: its own `toJSON()` where present, else the same fields built here. */
export function credentialToJSON(credential: PublicKeyCredential): PasskeyCredentialJSON {
  if (typeof credential.toJSON === 'function') {
    return credential.toJSON() as PasskeyCredentialJSON;
  }
  const response = credential.response;
  const common = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
  };
  if ('attestationObject' in response) {
    const attestation = response as AuthenticatorAttestationResponse;
    return {
      ...common,
      response: {
        clientDataJSON: toBase64url(attestation.clientDataJSON),
        attestationObject: toBase64url(attestation.attestationObject),
        transports: attestation.getTransports?.() ?? [],
      },
    };
  }
  const assertion = response as AuthenticatorAssertionResponse;
  return {
    ...common,
    response: {
      clientDataJSON: toBase64url(assertion.clientDataJSON),
      authenticatorData: toBase64url(assertion.authenticatorData),
      signature: toBase64url(assertion.signature),
      userHandle: assertion.userHandle === null ? undefined : toBase64url(assertion.userHandle),
    },
  };
}

/** base64url without padding (RFC 4648 §5), as WebAuthn's JSON uses it. */
export function toBase64url(data: ArrayBuffer | ArrayBufferView): string {
  const bytes = ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
  let binary = '';
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of a base64url text (padded or not); throws on other characters. */
export function fromBase64url(text: string): ArrayBuffer {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) {
    throw new Error('Not base64url');
  }
  const base64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes.buffer;
}

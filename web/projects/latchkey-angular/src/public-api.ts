/*
 * Public API of @latchkey/angular: everything an application imports. Anything else is
 * internal and may change without notice.
 */
export { provideLatchkey, type LatchkeyOptionsSource } from './lib/provide';
export {
  LatchkeyConfig,
  LATCHKEY_OPTIONS,
  normalizeOptions,
  type CodeFlowOptions,
  type CodeFlowSettings,
  type Delivery,
  type LatchkeyOptions,
  type LatchkeySettings,
} from './lib/options';
export {
  AuthService,
  isSecondFactorRequired,
  type LoginResponse,
  type LoginResult,
  type PendingSecondFactor,
  type SecondFactorMethod,
  type SecondFactorRequired,
  type SessionEndReason,
} from './lib/auth.service';
export { AccountService } from './lib/account.service';
export { PasskeyService, type Passkey } from './lib/passkey.service';
export {
  conditionalMediationAvailable,
  passkeysSupported,
  type PasskeyCredentialJSON,
  type PasskeyMediation,
} from './lib/webauthn';
export {
  SecondFactorService,
  type SecondFactorSummary,
  type TotpEnrolment,
  type TotpRemovalProof,
} from './lib/second-factor.service';
export {
  authGuard,
  roleGuard,
  hostedLoginCallbackGuard,
  codeFlowCallbackGuard,
} from './lib/guards';
export { CodeFlowService } from './lib/code-flow.service';
export { LATCHKEY_NAVIGATE, OIDC_ID_TOKEN_KEY, REFRESH_TOKEN_KEY } from './lib/code-flow';
export { latchkeyInterceptor } from './lib/auth.interceptor';
export {
  EXPIRES_AT_KEY,
  ID_TOKEN_KEY,
  TOKEN_TYPE_KEY,
  MemoryStorage,
  type LatchkeyStorage,
  type LatchkeyStorageChoice,
} from './lib/storage';
export {
  AUTH_ENDPOINT,
  DPOP_PROOF,
  sessionEndpointContext,
  XSRF_COOKIE_NAME,
  XSRF_HEADER_NAME,
  authEndpointContext,
} from './lib/http-context';
export {
  EMAIL_NOT_VERIFIED_MESSAGE,
  SECOND_STEP_EXPIRED_MESSAGE,
  SERVER_UNAVAILABLE,
  accountErrorMessage,
  isEmailNotVerified,
  loginErrorMessage,
  passkeyErrorMessage,
  retryAfterSeconds,
  serverErrorCode,
  serverMessage,
  signupErrorMessage,
} from './lib/http-errors';
export { DpopProofs, DPOP_HEADER, DPOP_NONCE_HEADER, DPOP_TOKEN_TYPE } from './lib/dpop';
export { safeReturnUrl } from './lib/urls';
export { jwtClaims } from './lib/jwt';

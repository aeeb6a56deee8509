package dev.latchkey.server.audit;

import java.util.Locale;

/** The security events an operator can follow; each is written by one call site. */
public enum AuditEvent {
  LOGIN_SUCCEEDED,
  LOGIN_FAILED,
  LOGIN_THROTTLED,
  LOGIN_STEP_REQUIRED,
  LOCK_STARTED,
  LOCK_CLEARED,
  LOGOUT,
  REFRESH_REUSE_DETECTED,
  SESSIONS_REVOKED,
  KEY_CREATED,
  KEY_ACTIVATED,
  KEY_RETIRED,
  KEY_REMOVED,
  KEY_REVOKED,
  USER_CREATED,
  USER_DISABLED,
  USER_ENABLED,
  PASSWORD_CHANGED,
  EMAIL_VERIFIED,
  MFA_ENROLMENT_STARTED,
  MFA_ENABLED,
  MFA_REMOVED,
  MFA_RESET,
  MFA_SUCCEEDED,
  MFA_FAILED,
  RECOVERY_CODE_USED,
  RECOVERY_CODES_REGENERATED,
  PASSKEY_REGISTERED,
  PASSKEY_REMOVED,
  PASSKEY_ACCEPTED,
  PASSKEY_REFUSED,
  CLIENT_ADDED,
  CLIENT_REMOVED,
  OIDC_CODE_REUSED,
  OIDC_LOGOUT;

  /** The {@code event} value written: the name in lower case, e.g. {@code login_failed}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.latchkey.verifier;

import java.util.Objects;

/**
 * A token was refused. Unchecked so that handlers can let it propagate; the message never contains
 * the token or any part of it.
 */
public final class TokenRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;

  public TokenRejectedException(RejectionReason reason) {
    this(reason, reason.message());
  }

  public TokenRejectedException(RejectionReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = Objects.requireNonNull(reason);
  }

  /** Why the token was refused. */
  public RejectionReason reason() {
    return reason;
  }

  /** The wire code of {@link #reason()}. */
  public String code() {
    return reason.code();
  }
}

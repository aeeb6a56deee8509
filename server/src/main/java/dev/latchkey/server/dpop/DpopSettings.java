package dev.latchkey.server.dpop;

import java.util.Objects;

/**
 * DPoP at the auth server (RFC 9449): whether proofs are optional or required for body delivery,
 * and whether proofs must carry a server nonce ({@code DPoP-Nonce}).
 *
 * @param mode {@link DpopMode#OPTIONAL} (default) or {@link DpopMode#REQUIRED}
 * @param nonces whether a proof must carry a nonce this server (any instance) issued recently; off
 *     by default
 */
public record DpopSettings(DpopMode mode, boolean nonces) {
  public DpopSettings {
    Objects.requireNonNull(mode, "dpop mode");
  }

  /** Optional proofs, no nonces. */
  public static DpopSettings defaults() {
    return new DpopSettings(DpopMode.OPTIONAL, false);
  }

  public DpopSettings withMode(DpopMode v) {
    return new DpopSettings(v, nonces);
  }

  public DpopSettings withNonces(boolean v) {
    return new DpopSettings(mode, v);
  }

  @Override
  public String toString() {
    return "dpop=" + mode + (nonces ? " with nonces" : "");
  }
}

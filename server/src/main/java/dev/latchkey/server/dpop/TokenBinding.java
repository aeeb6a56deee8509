package dev.latchkey.server.dpop;

import com.nimbusds.jose.JWSAlgorithm;
import dev.latchkey.server.store.Database;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.dpop.DpopNonces;
import dev.latchkey.verifier.dpop.DpopProofChecker;
import dev.latchkey.verifier.dpop.DpopRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Which key the tokens a request issues are bound to (RFC 9449 §5): the key of the request's DPoP
 * proof, checked by the verifier's {@link DpopProofChecker} (the one set of proof rules) with the
 * replay store every instance shares ({@link SeenProofs}) and, when on, nonces every instance
 * agrees on (derived from the master key). No proof: no binding, or a refusal where proofs are
 * required.
 */
public final class TokenBinding {
  /**
   * How long a server nonce is current: a proof may carry this period's or the previous one's, so a
   * client that refreshes every few minutes rarely needs a second round trip.
   */
  static final Duration NONCE_PERIOD = Duration.ofMinutes(5);

  private final DpopProofChecker checker;
  private final DpopMode mode;

  /**
   * @param nonceSecret the secret of the server nonces (the same on every instance; at least 32
   *     bytes), used when the settings turn nonces on
   */
  public TokenBinding(DpopSettings settings, Database db, byte[] nonceSecret, Clock clock) {
    DpopProofChecker.Builder b =
        DpopProofChecker.builder().clock(clock).replayStore(new SeenProofs(db, clock));
    if (settings.nonces()) {
      b.nonces(DpopNonces.withSecret(nonceSecret, NONCE_PERIOD, clock));
    }
    this.checker = b.build();
    this.mode = settings.mode();
  }

  /**
   * The RFC 7638 thumbprint of the key of the request's valid proof, to bind the issued tokens to;
   * empty when the request carries no proof and {@code proofRequired} is false.
   *
   * @param proofRequired whether a request without a proof is refused (required mode, for tokens
   *     handed to the client's script)
   * @throws TokenRejectedException with a {@code DPOP_…} reason for a refused or missing proof
   */
  public Optional<String> keyOf(DpopRequest request, boolean proofRequired) {
    if (request.proofs().isEmpty()) {
      if (proofRequired) {
        throw new TokenRejectedException(RejectionReason.DPOP_PROOF_MISSING);
      }
      return Optional.empty();
    }
    return Optional.of(checker.check(request, null, null).thumbprint());
  }

  /** The proof checker, for the auth server's own routes that take bound tokens. */
  public DpopProofChecker checker() {
    return checker;
  }

  /** Whether the server requires proofs where tokens are handed to the client's script. */
  public boolean required() {
    return mode == DpopMode.REQUIRED;
  }

  /** The accepted proof algorithms, for the {@code algs} of a challenge. */
  public Set<JWSAlgorithm> algorithms() {
    return checker.algorithms();
  }

  /** The nonce to send in {@code DPoP-Nonce}, when nonces are on. */
  public Optional<String> currentNonce() {
    return checker.currentNonce();
  }
}

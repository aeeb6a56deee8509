package dev.latchkey.server.http.exchange;

import dev.latchkey.server.dpop.TokenBinding;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.dpop.DpopRequest;
import dev.latchkey.verifier.wire.Dpop;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Collections;
import java.util.Optional;

/**
 * The DPoP proof of a request that issues tokens, read from its {@code DPoP} header and checked
 * against the request as the client addressed it: the server's public URL followed by the route's
 * path (behind a proxy, the URL the client saw), and the method. A refusal is the failure mapping's
 * {@code 400}.
 */
public final class DpopProofs {
  private final TokenBinding binding;
  private final String publicUrl;
  private final boolean tokensInBody;

  /**
   * @param tokensInBody whether the routes hand the token to the client's script (body or both
   *     delivery, the token endpoint): only then are proofs read, and required in required mode;
   *     tokens kept in HttpOnly cookies are never bound
   */
  public DpopProofs(TokenBinding binding, String publicUrl, boolean tokensInBody) {
    this.binding = binding;
    this.publicUrl = publicUrl;
    this.tokensInBody = tokensInBody;
  }

  /**
   * The thumbprint of the key of the request's valid proof, to bind what it issues to; empty
   * without a proof (where one is not required).
   *
   * @throws ApiError {@code 400 invalid_dpop_proof} / {@code use_dpop_nonce}
   */
  public Optional<String> keyOf(Context ctx) {
    if (!tokensInBody) {
      return Optional.empty();
    }
    try {
      return binding.keyOf(request(ctx), binding.required());
    } catch (TokenRejectedException e) {
      throw refusal(e.reason());
    }
  }

  /** What a proof of this request is checked against: its proofs, method and public URL. */
  public DpopRequest request(Context ctx) {
    return new DpopRequest(
        Collections.list(ctx.req().getHeaders(Dpop.PROOF_HEADER)),
        ctx.req().getMethod(),
        URI.create(publicUrl + ctx.path()));
  }

  /** The refusal of a request whose proof is missing or of another key than its session's. */
  public ApiError wrongKey(Context ctx) {
    return refusal(
        ctx.header(Dpop.PROOF_HEADER) == null
            ? RejectionReason.DPOP_PROOF_MISSING
            : RejectionReason.DPOP_PROOF_WRONG_KEY);
  }

  /** Sends the current server nonce ({@code DPoP-Nonce}) with the answer, when nonces are on. */
  public void offerNonce(Context ctx) {
    if (tokensInBody) {
      binding.currentNonce().ifPresent(n -> ctx.header(Dpop.NONCE_HEADER, n));
    }
  }

  /** The failure mapping's answer to a refused proof. */
  public ApiError refusal(RejectionReason reason) {
    return Failures.dpopRefusal(reason, binding.algorithms(), binding.currentNonce());
  }

  /** The failure mapping's answer to a presented token refused for DPoP ({@code 401}). */
  public ApiError tokenRefusal(RejectionReason reason) {
    return Failures.dpopTokenRefusal(reason, binding.algorithms(), binding.currentNonce());
  }
}

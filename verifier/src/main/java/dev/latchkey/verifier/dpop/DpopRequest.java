package dev.latchkey.verifier.dpop;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The facts of one HTTP request a DPoP proof is checked against.
 *
 * @param proofs the values of the request's {@code DPoP} headers (exactly one is accepted)
 * @param method the request method, e.g. {@code GET}
 * @param url the request's public URL (what the client addressed: the application's configured
 *     public base URL and the request path when it sits behind a proxy); query and fragment are
 *     ignored
 */
public record DpopRequest(List<String> proofs, String method, URI url) {
  public DpopRequest {
    proofs = List.copyOf(Objects.requireNonNull(proofs));
    Objects.requireNonNull(method);
    Objects.requireNonNull(url);
  }

  /** A request carrying a single proof (or none, when {@code proof} is null). */
  public static DpopRequest of(String proof, String method, URI url) {
    return new DpopRequest(proof == null ? List.of() : List.of(proof), method, url);
  }
}

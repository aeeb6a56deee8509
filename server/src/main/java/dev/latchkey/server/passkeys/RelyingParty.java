package dev.latchkey.server.passkeys;

import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.Challenge;
import com.webauthn4j.server.ServerProperty;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who passkeys are registered with: the relying-party ID (a host name; a credential works on that
 * host and its sub-domains) and the origins whose pages may run a ceremony (the public URL's and
 * the CORS origins, so that an app on another port or sub-domain can sign its users in).
 *
 * @param id the RP ID, e.g. {@code example.com}
 * @param origins exact origins ({@code scheme://host[:port]}) accepted in the client data
 */
public record RelyingParty(String id, Set<String> origins) {

  public RelyingParty {
    if (id == null || !id.matches("[a-z0-9.-]+") || id.startsWith(".") || id.endsWith(".")) {
      throw new IllegalArgumentException("the RP ID is a host name (no scheme or port), got " + id);
    }
    origins = Set.copyOf(origins);
  }

  /** What webauthn4j checks a ceremony's client data and authenticator data against. */
  ServerProperty serverProperty(Challenge challenge) {
    return ServerProperty.builder()
        .origins(origins.stream().map(Origin::new).collect(Collectors.toSet()))
        .rpId(id)
        .challenge(challenge)
        .build();
  }

  /**
   * The relying party of a server: {@code rpId} ({@code --rp-id}), else the public URL's host; the
   * public URL's origin and the CORS origins.
   *
   * @throws IllegalArgumentException when the public URL's host is not the RP ID or one of its
   *     sub-domains: no browser would run a ceremony for it there
   */
  public static RelyingParty of(String rpId, String publicUrl, List<String> corsOrigins) {
    URI url = URI.create(publicUrl);
    String host = url.getHost().toLowerCase(Locale.ROOT);
    String id = rpId == null || rpId.isBlank() ? host : rpId.strip().toLowerCase(Locale.ROOT);
    if (!host.equals(id) && !host.endsWith("." + id)) {
      throw new IllegalArgumentException(
          "the RP ID "
              + id
              + " must be the public URL's host "
              + host
              + " or a parent domain of it");
    }
    Set<String> origins = new LinkedHashSet<>();
    origins.add(url.getScheme() + "://" + url.getRawAuthority().toLowerCase(Locale.ROOT));
    corsOrigins.forEach(origins::add);
    return new RelyingParty(id, origins);
  }
}

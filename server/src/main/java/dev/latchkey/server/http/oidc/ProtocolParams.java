package dev.latchkey.server.http.oidc;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a protocol request: the query of a {@code GET}, the form of a {@code POST}
 * ({@code application/x-www-form-urlencoded} only), and whether one is repeated (RFC 6749 §3.1: a
 * parameter appears once at most).
 */
final class ProtocolParams {
  private final Map<String, List<String>> params;

  private ProtocolParams(Map<String, List<String>> params) {
    this.params = params;
  }

  /** The request's parameters, or empty when a {@code POST} is not a form. */
  static Optional<ProtocolParams> of(Context ctx) {
    if (ctx.method().name().equals("GET")) {
      return Optional.of(new ProtocolParams(ctx.queryParamMap()));
    }
    String type = ctx.header("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/x-www-form-urlencoded")) {
      return Optional.empty();
    }
    return Optional.of(new ProtocolParams(ctx.formParamMap()));
  }

  Map<String, List<String>> all() {
    return params;
  }

  /** The name of a parameter given more than once, if any. */
  Optional<String> repeated() {
    return params.entrySet().stream()
        .filter(e -> e.getValue().size() > 1)
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** A parameter's value; {@code null} when absent or empty. */
  String get(String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isEmpty()) {
      return null;
    }
    return values.get(0);
  }
}

package dev.latchkey.verifier.javalin;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.internal.http.AuthPolicy;
import dev.latchkey.verifier.internal.http.Outcome;
import dev.latchkey.verifier.internal.http.RequestView;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UnauthorizedResponse;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Javalin before-handlers that put {@link JwtVerifier} in front of chosen routes (tokens from
 * {@code Authorization: Bearer}, or {@code Authorization: DPoP} with a {@code DPoP} proof):
 *
 * <pre>{@code
 * JwtAuth auth = JwtAuth.bearer(verifier);
 * Javalin.create(config -> {
 *   config.routes.before("/api/lessons", auth.required());
 *   config.routes.before("/api/admin/*", auth.requireRole("admin"));
 *   config.routes.before("/api/admin/*", auth.requireSecondFactor());
 *   config.routes.get("/api/lessons", ctx -> ctx.json(lessonsFor(JwtAuth.token(ctx).subject())));
 * });
 * }</pre>
 */
public final class JwtAuth {
  /** The context attribute holding the {@link VerifiedToken}. */
  public static final String ATTRIBUTE = "latchkey.token";

  private final AuthPolicy policy;

  private JwtAuth(AuthPolicy policy) {
    this.policy = policy;
  }

  /** Tokens from {@code Authorization: Bearer}. */
  public static JwtAuth bearer(JwtVerifier verifier) {
    return new JwtAuth(AuthPolicy.of(verifier, AuthPolicy.Mode.BEARER, null));
  }

  /**
   * Tokens from a cookie; unsafe methods must carry the session's XSRF header (equal to the XSRF
   * cookie and bound to the token by its {@code xsrf} claim, see {@link
   * dev.latchkey.verifier.wire.Xsrf}), else 403.
   */
  public static JwtAuth cookie(JwtVerifier verifier, String cookieName) {
    return new JwtAuth(AuthPolicy.of(verifier, AuthPolicy.Mode.COOKIE, cookieName));
  }

  /** The Authorization header if present, else the cookie (with the XSRF check). */
  public static JwtAuth bearerOrCookie(JwtVerifier verifier, String cookieName) {
    return new JwtAuth(AuthPolicy.of(verifier, AuthPolicy.Mode.BEARER_OR_COOKIE, cookieName));
  }

  /** The same, with another {@code realm} in {@code WWW-Authenticate}. */
  public JwtAuth realm(String realm) {
    return new JwtAuth(policy.withRealm(realm));
  }

  /** The same, with other XSRF cookie and header names than Angular's defaults. */
  public JwtAuth xsrfNames(String cookieName, String headerName) {
    return new JwtAuth(policy.withXsrfNames(cookieName, headerName));
  }

  /**
   * The same, with the URL clients address this application at (behind a proxy, e.g. {@code
   * https://api.example.com}): a DPoP proof's {@code htu} must equal it followed by the request
   * path. Without it, the URL Jetty received is used.
   */
  public JwtAuth publicBaseUrl(URI base) {
    return new JwtAuth(policy.withPublicBaseUrl(base));
  }

  /** Refuses requests without a valid token (401/403/503 with a JSON body). */
  public Handler required() {
    return ctx -> apply(ctx, true);
  }

  /** Lets requests without a token through; a present but invalid token is still refused. */
  public Handler optional() {
    return ctx -> apply(ctx, false);
  }

  /**
   * Refuses requests without a valid token (as {@link #required()}) and those whose token holds
   * none of {@code anyOf} in its {@code roles} claim: 403 with {@code WWW-Authenticate: Bearer …,
   * error="insufficient_scope"} and {@code {"error":"insufficient_scope",…}}. A token verified by
   * an earlier before-handler of this request is reused.
   */
  public Handler requireRole(String... anyOf) {
    Set<String> roles = AuthPolicy.roleNames(anyOf);
    return ctx -> {
      VerifiedToken held = ctx.attribute(ATTRIBUTE);
      Outcome o = held != null ? Outcome.accepted(held) : policy.authenticate(view(ctx), true);
      apply(ctx, policy.authorize(o, ctx.req().getMethod(), roles));
    };
  }

  /**
   * Refuses requests without a valid token (as {@link #required()}) and those whose token does not
   * say the user passed a second factor ({@code mfa} in its {@code amr} claim): 403 with {@code
   * WWW-Authenticate: Bearer …, error="insufficient_user_authentication"} (RFC 9470) and {@code
   * {"error":"insufficient_user_authentication",…}}. A token verified by an earlier before-handler
   * of this request is reused.
   */
  public Handler requireSecondFactor() {
    return ctx -> {
      VerifiedToken held = ctx.attribute(ATTRIBUTE);
      Outcome o = held != null ? Outcome.accepted(held) : policy.authenticate(view(ctx), true);
      apply(ctx, policy.requireSecondFactor(o, ctx.req().getMethod()));
    };
  }

  private void apply(Context ctx, boolean required) {
    apply(ctx, policy.authenticate(view(ctx), required));
  }

  private static void apply(Context ctx, Outcome o) {
    for (Map.Entry<String, String> h : o.headers().entrySet()) {
      ctx.header(h.getKey(), h.getValue());
    }
    if (o.proceed()) {
      if (o.token() != null) {
        ctx.attribute(ATTRIBUTE, o.token());
      }
      return;
    }
    ctx.status(o.status());
    ctx.contentType("application/json");
    ctx.result(o.body());
    ctx.skipRemainingHandlers();
  }

  private static RequestView view(Context ctx) {
    return new RequestView() {
      @Override
      public String method() {
        return ctx.req().getMethod();
      }

      @Override
      public String header(String name) {
        return ctx.header(name);
      }

      @Override
      public List<String> headers(String name) {
        return Collections.list(ctx.req().getHeaders(name));
      }

      @Override
      public String cookie(String name) {
        return ctx.cookie(name);
      }

      @Override
      public String requestUrl() {
        return ctx.req().getRequestURL().toString();
      }

      @Override
      public String rawPath() {
        return ctx.req().getRequestURI();
      }
    };
  }

  /**
   * The verified token of a request that passed {@link #required()}.
   *
   * @throws UnauthorizedResponse when there is none (a route was left unprotected by mistake)
   */
  public static VerifiedToken token(Context ctx) {
    VerifiedToken t = ctx.attribute(ATTRIBUTE);
    if (t == null) {
      throw new UnauthorizedResponse();
    }
    return t;
  }

  /** The verified token, if the request carried a valid one. */
  public static Optional<VerifiedToken> optionalToken(Context ctx) {
    return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
  }
}

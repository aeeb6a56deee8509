package dev.latchkey.verifier.javalin;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.testing.MiddlewareContract;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Optional;

/** The adapter contract through a real Javalin server. */
class JwtAuthJavalinTest extends MiddlewareContract {
  private Javalin app;

  private static void answer(Context ctx, Optional<VerifiedToken> t) {
    ctx.contentType("application/json");
    ctx.result(t.map(v -> "{\"sub\":\"" + v.subject() + "\"}").orElse("{\"anonymous\":true}"));
  }

  @Override
  protected URI start(JwtVerifier verifier) {
    JwtAuth bearer = JwtAuth.bearer(verifier);
    JwtAuth cookie = JwtAuth.cookie(verifier, COOKIE);
    JwtAuth either = JwtAuth.bearerOrCookie(verifier, COOKIE);
    app =
        Javalin.create(
                config -> {
                  config.routes.before("/api/lessons", bearer.required());
                  config.routes.before("/api/maybe", bearer.optional());
                  config.routes.before("/cookie/lessons", cookie.required());
                  config.routes.before("/either", either.required());
                  config.routes.before("/admin", bearer.requireRole("admin", "owner"));
                  config.routes.before("/proxied", bearer.publicBaseUrl(PUBLIC_BASE).required());
                  config.routes.get(
                      "/proxied", ctx -> answer(ctx, Optional.of(JwtAuth.token(ctx))));
                  config.routes.get("/admin", ctx -> answer(ctx, Optional.of(JwtAuth.token(ctx))));
                  config.routes.get(
                      "/api/lessons", ctx -> answer(ctx, Optional.of(JwtAuth.token(ctx))));
                  config.routes.get("/api/maybe", ctx -> answer(ctx, JwtAuth.optionalToken(ctx)));
                  for (String path : new String[] {"/cookie/lessons", "/either"}) {
                    config.routes.get(path, ctx -> answer(ctx, Optional.of(JwtAuth.token(ctx))));
                    config.routes.post(path, ctx -> answer(ctx, Optional.of(JwtAuth.token(ctx))));
                    config.routes.put(path, ctx -> answer(ctx, Optional.of(JwtAuth.token(ctx))));
                    config.routes.patch(path, ctx -> answer(ctx, Optional.of(JwtAuth.token(ctx))));
                    config.routes.delete(path, ctx -> answer(ctx, Optional.of(JwtAuth.token(ctx))));
                  }
                  config.routes.get("/public", ctx -> ctx.result("hello"));
                })
            .start("127.0.0.1", 0);
    return URI.create("http://127.0.0.1:" + app.port());
  }

  @Override
  protected void stop() {
    app.stop();
  }
}

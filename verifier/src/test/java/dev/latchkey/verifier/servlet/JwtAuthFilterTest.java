package dev.latchkey.verifier.servlet;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.testing.MiddlewareContract;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The adapter contract through a real Jetty 12 ee10 servlet container. */
class JwtAuthFilterTest extends MiddlewareContract {
  private Server server;

  /** Answers {"sub": ...} or {"anonymous": true} for every method. */
  static final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      if (req.getRequestURI().equals("/public")) {
        res.getWriter().write("hello");
        return;
      }
      Optional<VerifiedToken> t = JwtAuthFilter.optionalToken(req);
      res.setContentType("application/json");
      res.getWriter()
          .write(t.map(v -> "{\"sub\":\"" + v.subject() + "\"}").orElse("{\"anonymous\":true}"));
    }
  }

  @Override
  protected URI start(JwtVerifier verifier) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
    context.addFilter(new FilterHolder(JwtAuthFilter.bearer(verifier)), "/api/lessons", request);
    context.addFilter(
        new FilterHolder(JwtAuthFilter.bearer(verifier).optional()), "/api/maybe", request);
    context.addFilter(
        new FilterHolder(JwtAuthFilter.cookie(verifier, COOKIE)), "/cookie/lessons", request);
    context.addFilter(
        new FilterHolder(JwtAuthFilter.bearerOrCookie(verifier, COOKIE)), "/either", request);
    context.addFilter(
        new FilterHolder(JwtAuthFilter.bearer(verifier).requireRole("admin", "owner")),
        "/admin",
        request);
    context.addFilter(
        new FilterHolder(JwtAuthFilter.bearer(verifier).publicBaseUrl(PUBLIC_BASE)),
        "/proxied",
        request);
    context.addServlet(new ServletHolder(new Echo()), "/*");
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  protected void stop() throws Exception {
    server.stop();
  }
}

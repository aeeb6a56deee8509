package dev.latchkey.cli;

import dev.latchkey.demo.DemoConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps {@code latchkey serve} from going public with the demo's settings: on an address other
 * machines can reach, the demo audience ({@value DemoConfig#DEFAULT_AUDIENCE}) or an issuer on
 * localhost would issue tokens that every demo verifier accepts, or that no real client can check.
 * {@code --allow-demo-defaults} lets it start anyway.
 */
final class DemoDefaultsGuard {

  static final String OVERRIDE = "--allow-demo-defaults";

  private DemoDefaultsGuard() {}

  /**
   * @param host the bind address
   * @param issuer the {@code --issuer}, or {@code null} for the server's own base URL
   * @param port the port, part of that base URL
   * @param audience the audience the server will sign for
   * @param allowed {@value #OVERRIDE} was given
   * @throws IllegalArgumentException with one line for the operator, when a public bind address
   *     meets a demo default
   */
  static void check(String host, String issuer, int port, String audience, boolean allowed) {
    if (allowed || isLoopback(host)) {
      return;
    }
    if (issuer == null) {
      boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
      issuer = "http://" + (wildcard ? "localhost" : host) + ":" + port;
    }
    List<String> defaults = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    if (DemoConfig.DEFAULT_AUDIENCE.equals(audience)) {
      defaults.add("the demo audience " + audience);
      fixes.add("--audience");
    }
    if (isLocalIssuer(issuer)) {
      defaults.add("the local issuer " + issuer);
      fixes.add("--issuer (the public URL)");
    }
    if (!defaults.isEmpty()) {
      throw new IllegalArgumentException(
          "refusing to listen on "
              + host
              + " with "
              + String.join(" and ", defaults)
              + ": set "
              + String.join(" and ", fixes)
              + ", listen on --host 127.0.0.1, or pass "
              + OVERRIDE);
    }
  }

  /** True for localhost and loopback addresses; a name is resolved, as binding it would. */
  static boolean isLoopback(String host) {
    String name = unbracket(host);
    if (name.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(name).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** An issuer whose host is localhost or a loopback literal; no name is looked up. */
  static boolean isLocalIssuer(String issuer) {
    String host;
    try {
      host = URI.create(issuer).getHost();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (host == null) {
      return false;
    }
    String name = unbracket(host).toLowerCase(Locale.ROOT);
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return true;
    }
    if (!name.matches("[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*")) {
      return false;
    }
    try {
      return InetAddress.getByName(name).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}

package dev.latchkey.server.throttle;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The client address a request is counted against: the socket's peer address, unless that peer is a
 * trusted reverse proxy, in which case {@code X-Forwarded-For} is read from the right, skipping
 * trusted proxies, and the first untrusted hop is the client. Nothing here ever does a DNS lookup.
 */
public final class ClientAddress {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** An address range: {@code prefix} leading bits of {@code network}. */
  public record Range(byte[] network, int prefix) {
    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int bits = prefix;
      for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((a[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Range> trusted;

  public ClientAddress(List<String> trustedProxies) {
    List<Range> ranges = new ArrayList<>();
    for (String proxy : trustedProxies) {
      ranges.add(parseRange(proxy));
    }
    this.trusted = List.copyOf(ranges);
  }

  /**
   * Parses {@code 10.1.2.3}, {@code 10.0.0.0/8}, {@code ::1} or {@code fd00::/8}.
   *
   * @throws IllegalArgumentException when it is not an IP literal with an optional prefix length
   */
  public static Range parseRange(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String ip = slash < 0 ? s : s.substring(0, slash);
    InetAddress address =
        literal(ip)
            .orElseThrow(
                () -> new IllegalArgumentException("not an IP address or CIDR range: " + text));
    int max = address.getAddress().length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("bad prefix length in " + text);
      }
    }
    return new Range(address.getAddress(), prefix);
  }

  /** An IP literal, parsed without any name lookup; empty for anything else. */
  static Optional<InetAddress> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.isEmpty()
        || s.length() > 45
        || !(IPV4.matcher(s).matches() || IPV6.matcher(s).matches())) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(s));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  public boolean trustsProxies() {
    return !trusted.isEmpty();
  }

  private boolean isTrusted(InetAddress address) {
    for (Range r : trusted) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client address of a request.
   *
   * @param peer the socket's remote address
   * @param forwardedFor every {@code X-Forwarded-For} header value, in order (may be empty)
   */
  public String resolve(String peer, List<String> forwardedFor) {
    Optional<InetAddress> peerAddress = literal(peer);
    if (trusted.isEmpty() || peerAddress.isEmpty() || !isTrusted(peerAddress.get())) {
      return peerAddress.map(InetAddress::getHostAddress).orElse(String.valueOf(peer));
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        hops.add(hop.strip());
      }
    }
    InetAddress client = peerAddress.get();
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = literal(hops.get(i));
      if (hop.isEmpty()) {
        break; // garbage: believe nothing further left than the last trusted hop
      }
      client = hop.get();
      if (!isTrusted(client)) {
        break;
      }
    }
    return client.getHostAddress();
  }
}

package dev.latchkey.server.throttle;

import dev.latchkey.server.users.EmailAddress;
import dev.latchkey.verifier.wire.Digests;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The keys of the throttle's counter rows: one per account (the normalised email, known or not),
 * one per client address group (IPv6 per /64, IPv4 per address) and one per device cookie. Only
 * digests are stored, never an address or an email.
 */
final class ThrottleKeys {
  private ThrottleKeys() {}

  static String account(String email) {
    return "a:" + Digests.sha256Base64Url(EmailAddress.normalize(email == null ? "" : email));
  }

  static String address(String clientAddress) {
    return "i:" + Digests.sha256Base64Url(addressGroup(clientAddress));
  }

  static String device(String deviceId) {
    return "d:" + Digests.sha256Base64Url(deviceId);
  }

  /**
   * Which counter a key belongs to, for logs: {@code account}, {@code address} or {@code device}.
   */
  static String kind(String key) {
    return switch (key.charAt(0)) {
      case 'i' -> "address";
      case 'd' -> "device";
      default -> "account";
    };
  }

  /** IPv6 addresses are counted per /64 (what one subscriber usually holds), IPv4 per address. */
  static String addressGroup(String clientAddress) {
    Optional<InetAddress> ip = ClientAddress.literal(clientAddress);
    if (ip.isPresent() && ip.get() instanceof Inet6Address v6) {
      byte[] a = v6.getAddress();
      Arrays.fill(a, 8, 16, (byte) 0);
      try {
        return InetAddress.getByAddress(a).getHostAddress() + "/64";
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // 16 bytes are always an address
      }
    }
    return ip.map(InetAddress::getHostAddress).orElse(String.valueOf(clientAddress));
  }
}

package dev.latchkey.server.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressTest {

  @Nested
  class WithoutTrustedProxies {
    private final ClientAddress address = new ClientAddress(List.of());

    @Test
    void thePeerIsTheClientAndForwardedForIsIgnored() {
      assertThat(address.trustsProxies()).isFalse();
      assertThat(address.resolve("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void anIpv6PeerIsWrittenInFullForm() {
      assertThat(address.resolve("2001:db8::1", List.of())).isEqualTo("2001:db8:0:0:0:0:0:1");
      assertThat(address.resolve("[::1]", List.of())).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void aPeerThatIsNoIpLiteralIsKeptAsItIs() {
      assertThat(address.resolve("localhost", List.of())).isEqualTo("localhost");
      assertThat(address.resolve(null, List.of())).isEqualTo("null");
    }
  }

  @Nested
  class BehindTrustedProxies {
    private final ClientAddress address =
        new ClientAddress(List.of("10.0.0.0/8", "192.0.2.10", "fd00::/8"));

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
      assertThat(address.trustsProxies()).isTrue();
      assertThat(address.resolve("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void theRightmostUntrustedHopIsTheClient() {
      // A client may put anything on the left; only hops added by trusted proxies are believed.
      assertThat(address.resolve("10.1.2.3", List.of("1.1.1.1, 198.51.100.9, 10.9.9.9")))
          .isEqualTo("198.51.100.9");
    }

    @Test
    void severalHeadersReadAsOneListInOrder() {
      assertThat(address.resolve("10.1.2.3", List.of("1.1.1.1", "198.51.100.9", "192.0.2.10")))
          .isEqualTo("198.51.100.9");
    }

    @Test
    void withoutForwardedForTheTrustedPeerItselfIsTheClient() {
      assertThat(address.resolve("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void whenEveryHopIsTrustedTheLeftmostIsTheClient() {
      assertThat(address.resolve("10.1.2.3", List.of("10.7.7.7, 192.0.2.10")))
          .isEqualTo("10.7.7.7");
    }

    @Test
    void garbageStopsTheWalkAtTheLastTrustedHop() {
      assertThat(address.resolve("10.1.2.3", List.of("198.51.100.9, evil.example, 10.4.4.4")))
          .isEqualTo("10.4.4.4");
      assertThat(address.resolve("10.1.2.3", List.of("unknown"))).isEqualTo("10.1.2.3");
      assertThat(address.resolve("10.1.2.3", List.of(""))).isEqualTo("10.1.2.3");
    }

    @Test
    void ipv6ProxiesAndClients() {
      assertThat(address.resolve("fd12::1", List.of("2001:db8::42, fd00::2")))
          .isEqualTo("2001:db8:0:0:0:0:0:42");
      assertThat(address.resolve("fd12::1", List.of("[2001:db8::43]")))
          .isEqualTo("2001:db8:0:0:0:0:0:43");
      // Every address is its own client: two addresses of one /64 are counted apart.
      assertThat(address.resolve("fd12::1", List.of("2001:db8::1")))
          .isNotEqualTo(address.resolve("fd12::1", List.of("2001:db8::2")));
    }

    @Test
    void anIpv4MappedPeerIsItsIpv4AddressAndNoOtherIpv6MatchesAnIpv4Range() {
      assertThat(address.resolve("::ffff:10.1.2.3", List.of("198.51.100.9")))
          .isEqualTo("198.51.100.9");
      assertThat(address.resolve("::a01:203", List.of("198.51.100.9")))
          .isEqualTo("0:0:0:0:0:0:a01:203");
    }

    @Test
    void aHostNameInForwardedForIsNeverLookedUp() {
      assertThat(address.resolve("10.1.2.3", List.of("localhost"))).isEqualTo("10.1.2.3");
    }
  }

  @Nested
  class Ranges {
    @Test
    void aSingleAddressIsAFullLengthPrefix() {
      assertThat(ClientAddress.parseRange("10.1.2.3").prefix()).isEqualTo(32);
      assertThat(ClientAddress.parseRange("::1").prefix()).isEqualTo(128);
      assertThat(ClientAddress.parseRange(" 10.0.0.0/8 ").prefix()).isEqualTo(8);
    }

    @Test
    void prefixesThatAreNoMultipleOfEight() {
      ClientAddress address = new ClientAddress(List.of("192.0.2.0/25", "2001:db8::/33"));
      assertThat(address.resolve("192.0.2.127", List.of("203.0.113.1"))).isEqualTo("203.0.113.1");
      assertThat(address.resolve("192.0.2.128", List.of("203.0.113.1"))).isEqualTo("192.0.2.128");
      assertThat(address.resolve("2001:db8:7fff::1", List.of("203.0.113.1")))
          .isEqualTo("203.0.113.1");
      assertThat(address.resolve("2001:db8:8000::1", List.of("203.0.113.1")))
          .isEqualTo("2001:db8:8000:0:0:0:0:1");
    }

    @Test
    void aZeroPrefixTrustsEveryAddressOfItsFamily() {
      ClientAddress address = new ClientAddress(List.of("0.0.0.0/0"));
      assertThat(address.resolve("203.0.113.1", List.of("198.51.100.1, 198.51.100.2")))
          .isEqualTo("198.51.100.1");
      assertThat(address.resolve("2001:db8::1", List.of("198.51.100.1")))
          .isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "proxy.internal",
          "10.0.0.0/33",
          "::/129",
          "10.0.0.0/-1",
          "10.0.0.0/x",
          "10.0.0/8",
          "256.1.1.1",
          "10.0.0.0/8/8"
        })
    void anythingButAnIpLiteralWithAnOptionalPrefixIsRefused(String text) {
      assertThatThrownBy(() -> ClientAddress.parseRange(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}

package dev.latchkey.server.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressGroupTest {
  @Test
  void ipv6IsCountedPerSlash64AndIpv4PerAddress() {
    assertThat(LoginThrottle.addressKey("2001:db8:1:2:aaaa::1"))
        .isEqualTo(LoginThrottle.addressKey("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        .isEqualTo(LoginThrottle.addressKey("[2001:0db8:0001:0002::9]"))
        .isNotEqualTo(LoginThrottle.addressKey("2001:db8:1:3::1"));
    assertThat(LoginThrottle.addressGroup("2001:db8:1:2:aaaa::1"))
        .isEqualTo("2001:db8:1:2:0:0:0:0/64");
    assertThat(LoginThrottle.addressKey("198.51.100.1"))
        .isNotEqualTo(LoginThrottle.addressKey("198.51.100.2"));
  }
}

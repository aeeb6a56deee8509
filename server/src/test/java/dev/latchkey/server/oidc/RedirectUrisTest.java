package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Exact redirect-URI matching (RFC 9700), loopback IPs on any port (RFC 8252 §7.3). */
class RedirectUrisTest {

  @Test
  void aRegisteredUriMatchesOnlyItself() {
    String registered = "https://app.example.com/callback";
    assertThat(RedirectUris.matches(registered, registered)).isTrue();
    for (String other :
        new String[] {
          "https://app.example.com/callback/",
          "https://app.example.com/callback?x=1",
          "https://app.example.com/Callback",
          "https://APP.example.com/callback",
          "https://app.example.com:443/callback",
          "http://app.example.com/callback",
          "https://app.example.com/callback#f",
          "https://app.example.com.evil.com/callback",
          "https://app.example.com@evil.com/callback",
          null
        }) {
      assertThat(RedirectUris.matches(registered, other)).as(other).isFalse();
    }
  }

  @Test
  void aLoopbackIpMatchesAnyPortButNothingElseChanged() {
    String v4 = "http://127.0.0.1/callback";
    assertThat(RedirectUris.matches(v4, "http://127.0.0.1:49152/callback")).isTrue();
    assertThat(RedirectUris.matches("http://127.0.0.1:8080/cb", "http://127.0.0.1:9090/cb"))
        .isTrue();
    assertThat(RedirectUris.matches("http://[::1]/cb", "http://[::1]:5000/cb")).isTrue();
    assertThat(RedirectUris.matches(v4, "http://127.0.0.1:49152/other")).isFalse();
    assertThat(RedirectUris.matches(v4, "http://127.0.0.2:49152/callback")).isFalse();
    assertThat(RedirectUris.matches(v4, "https://127.0.0.1:49152/callback")).isFalse();
    assertThat(RedirectUris.matches(v4, "http://127.0.0.1:49152/callback?x=1")).isFalse();
    // localhost is not a loopback IP literal: matched exactly, port included
    assertThat(RedirectUris.matches("http://localhost:8080/cb", "http://localhost:8081/cb"))
        .isFalse();
  }

  @Test
  void onlyHttpsLoopbackHttpAndPrivateUseSchemesAreRegistrable() {
    assertThat(RedirectUris.problem("https://app.example.com/cb")).isEmpty();
    assertThat(RedirectUris.problem("http://127.0.0.1/cb")).isEmpty();
    assertThat(RedirectUris.problem("http://localhost:8080/login/oauth2/code/latchkey")).isEmpty();
    assertThat(RedirectUris.problem("com.example.app:/callback")).isEmpty();
    assertThat(RedirectUris.problem("http://app.example.com/cb")).isPresent();
    assertThat(RedirectUris.problem("https://*.example.com/cb")).isPresent();
    assertThat(RedirectUris.problem("https://app.example.com/cb#x")).isPresent();
    assertThat(RedirectUris.problem("/relative")).isPresent();
    assertThat(RedirectUris.problem("javascript:alert(1)")).isPresent();
    assertThat(RedirectUris.problem("https://app.example.com/a b")).isPresent();
    assertThat(RedirectUris.problem("")).isPresent();
  }
}

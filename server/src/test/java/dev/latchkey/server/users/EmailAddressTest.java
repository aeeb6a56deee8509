package dev.latchkey.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "ada@example.com",
        "Ada.Lovelace@Example.COM",
        "ada+lessons@mail.example.co.uk",
        "o'brien@example.com",
        "x_y-z@sub-domain.example.com",
        "a#$&*/=?^`{|}~@example.com",
        "zoë@exämple.com",
        "1@2.io"
      })
  void onePlainAddressIsAccepted(String typed) {
    assertThat(EmailAddress.parse(typed)).as(typed).contains(EmailAddress.normalize(typed));
  }

  /** What Jakarta Mail or a relay could read as another recipient, or as more than one. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Ada <ada@example.com>",
        "<evil@evil.com>@example.com",
        "ada@example.com>",
        "ada<evil@evil.com>",
        "ada@example.com, evil@evil.com",
        "ada@example.com,evil@evil.com",
        "friends:evil@evil.com;@example.com",
        "friends: evil@evil.com;",
        "ada(comment)@example.com",
        "ada@example.com(evil@evil.com)",
        "\"evil@evil.com\"@example.com",
        "\"a,b\"@example.com",
        "ada\\@example.com",
        "ada@[127.0.0.1]",
        "evil%evil.com@example.com",
        "evil.com!evil@example.com",
        "ada@example.com;evil@evil.com",
        "ada@exa mple.com",
        "ada @example.com",
        "ada@example.com\nBcc: evil@evil.com",
        "ada\r\nBcc: evil@evil.com@example.com",
        "ada@example.com\u2028evil",
        "ada\u0085@example.com",
        "ada\u0000@example.com",
        ".ada@example.com",
        "ada.@example.com",
        "a..da@example.com",
        "ada@-example.com",
        "ada@example-.com",
        "ada@example..com",
        "ada@example",
        "ada@example.com.",
        "two@@example.com",
        "ada@ex_ample.com",
        "ada@example.c\u200bom",
        "ada\uff0cevil@example.com"
      })
  void anythingButOnePlainAddressIsRefused(String typed) {
    assertThat(EmailAddress.parse(typed)).as(typed).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 65})
  void theLocalPartHasAtMost64Characters(int length) {
    String typed = "a".repeat(length) + "@example.com";
    assertThat(EmailAddress.parse(typed).isPresent()).isEqualTo(length <= 64);
  }

  @ParameterizedTest
  @ValueSource(ints = {254, 255})
  void theAddressHasAtMost254Characters(int length) {
    String domain = ("b".repeat(60) + ".").repeat(4);
    String local = "a".repeat(length - "@".length() - domain.length() - "com".length());
    String typed = local + "@" + domain + "com";
    assertThat(typed).hasSize(length);
    assertThat(EmailAddress.parse(typed).isPresent()).isEqualTo(length <= 254);
  }
}

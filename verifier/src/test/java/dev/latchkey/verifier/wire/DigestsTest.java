package dev.latchkey.verifier.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigestsTest {
  @Test
  void sha256OfTheUtf8BytesInUnpaddedBase64Url() {
    // FIPS 180-2's "abc" vector, ba7816bf..., in base64url
    assertThat(Digests.sha256Base64Url("abc"))
        .isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    assertThat(Digests.sha256Base64Url("é")).isNotEqualTo(Digests.sha256Base64Url("?"));
    assertThat(Digests.sha256Base64Url("")).hasSize(43).doesNotContain("=", "+", "/");
  }
}

package dev.latchkey.verifier.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.text.ParseException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wire contract's one behaviour for each piece both sides read or write. */
class WireContractTest {

  @Test
  void bearerHeaderGivesTheTokenEmptyForABareSchemeAndNullForAnotherScheme() {
    assertThat(BearerToken.parse("Bearer abc.def.ghi")).isEqualTo("abc.def.ghi");
    assertThat(BearerToken.parse("  bEaReR   abc  ")).isEqualTo("abc");
    assertThat(BearerToken.parse("Bearer")).isEmpty();
    assertThat(BearerToken.parse("Bearer ")).isEmpty();
    assertThat(BearerToken.parse("Basic dXNlcjpwYXNz")).isNull();
    assertThat(BearerToken.parse("BearerX abc")).isNull();
    assertThat(BearerToken.parse("Bear")).isNull();
    assertThat(BearerToken.parse(null)).isNull();
    assertThat(BearerToken.parse(BearerToken.headerValue("t"))).isEqualTo("t");
  }

  @Test
  void xsrfPassesOnlyTheSessionsValueInCookieAndHeaderOnUnsafeMethods() {
    String bound = Xsrf.binding("abc");
    assertThat(Xsrf.passes("abc", "abc", bound)).isTrue();
    assertThat(Xsrf.passes("abc", "abd", bound)).isFalse();
    assertThat(Xsrf.passes("abd", "abd", bound)).as("a tossed pair").isFalse();
    assertThat(Xsrf.passes("abc", "abc", null)).as("a token without the claim").isFalse();
    assertThat(Xsrf.passes("abc", "abc", 42)).isFalse();
    assertThat(Xsrf.passes("abc", null, bound)).isFalse();
    assertThat(Xsrf.passes(null, "abc", bound)).isFalse();
    assertThat(Xsrf.passes("", "", Xsrf.binding(""))).isFalse();
    assertThat(Xsrf.binding("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    assertThat(Xsrf.isRequiredFor("post")).isTrue();
    assertThat(Xsrf.isRequiredFor("DELETE")).isTrue();
    assertThat(Xsrf.isRequiredFor("GET")).isFalse();
    assertThat(Xsrf.isRequiredFor(null)).isFalse();
    assertThat(Xsrf.COOKIE).isEqualTo("XSRF-TOKEN");
    assertThat(Xsrf.HEADER).isEqualTo("X-XSRF-TOKEN");
  }

  @Test
  void tokenTypesCompareWithoutCaseOrMediaTypePrefix() {
    assertThat(TokenType.normalise("application/AT+JWT")).isEqualTo(TokenType.ACCESS_TOKEN);
    assertThat(TokenType.normalise("JWT")).isEqualTo("jwt");
  }

  @Test
  void errorBodyAndChallenges() throws Exception {
    assertThat(JSONObjectUtils.parse(ErrorResponse.body("expired", "The token has expired")))
        .containsEntry("error", "expired")
        .containsEntry("message", "The token has expired");
    assertThat(ErrorResponse.challenge("latchkey")).isEqualTo("Bearer realm=\"latchkey\"");
    assertThat(ErrorResponse.invalidTokenChallenge("r", "The token has expired"))
        .isEqualTo(
            "Bearer realm=\"r\", error=\"invalid_token\","
                + " error_description=\"The token has expired\"");
    assertThatThrownBy(() -> ErrorResponse.challenge("a\"b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFeedReadsWhatItWrites() throws Exception {
    RevocationFeedFormat.Page page =
        new RevocationFeedFormat.Page(
            List.of(
                new RevocationFeedFormat.Entry("s-1", 1_700_000_000L, 1_700_007_200L),
                new RevocationFeedFormat.Entry("s-2", 1_700_000_005L, 1_700_007_205L)),
            List.of(new RevocationFeedFormat.Entry("k-1", 1_700_000_006L, 1_700_007_260L)),
            42,
            false,
            1_700_000_010L);
    String json = RevocationFeedFormat.write(page);

    assertThat(json)
        .isEqualTo(
            "{\"revoked\":[{\"sid\":\"s-1\",\"at\":1700000000,\"until\":1700007200},"
                + "{\"sid\":\"s-2\",\"at\":1700000005,\"until\":1700007205}],"
                + "\"keys\":[{\"kid\":\"k-1\",\"at\":1700000006,\"until\":1700007260}],"
                + "\"cursor\":42,\"snapshot\":false,\"now\":1700000010}");
    assertThat(RevocationFeedFormat.parse(json)).isEqualTo(page);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"revoked\":[],\"keys\":[],\"cursor\":1,\"snapshot\":false,\"now\":-1}",
        "{\"revoked\":{},\"keys\":[],\"cursor\":1,\"snapshot\":false,\"now\":1}",
        "{\"revoked\":[],\"cursor\":1,\"snapshot\":false,\"now\":1}",
        "{\"revoked\":[],\"keys\":[],\"cursor\":-1,\"snapshot\":false,\"now\":1}",
        "{\"revoked\":[],\"keys\":[],\"snapshot\":false,\"now\":1}",
        "{\"revoked\":[],\"keys\":[],\"cursor\":1,\"snapshot\":1,\"now\":1}",
        "{\"revoked\":[{\"sid\":\"\",\"at\":1,\"until\":1}],\"keys\":[],\"cursor\":1,"
            + "\"snapshot\":false,\"now\":1}",
        "{\"revoked\":[{\"sid\":\"s\",\"at\":1.5,\"until\":1}],\"keys\":[],\"cursor\":1,"
            + "\"snapshot\":false,\"now\":1}",
        "{\"revoked\":[{\"sid\":\"s\",\"at\":1}],\"keys\":[],\"cursor\":1,"
            + "\"snapshot\":false,\"now\":1}",
        "{\"revoked\":[],\"keys\":[{\"sid\":\"k\",\"at\":1,\"until\":1}],\"cursor\":1,"
            + "\"snapshot\":false,\"now\":1}"
      })
  void theFeedRefusesAnyOtherShape(String json) {
    assertThatThrownBy(() -> RevocationFeedFormat.parse(json)).isInstanceOf(ParseException.class);
  }

  @Test
  void theCursorIsAppendedToAFeedUrlThatAlreadyHasAQuery() {
    assertThat(RevocationFeedFormat.withCursor(URI.create("https://a.example/api/revocations"), 5))
        .isEqualTo(URI.create("https://a.example/api/revocations?after=5"));
    assertThat(RevocationFeedFormat.withCursor(URI.create("https://a.example/r?tenant=x"), 5))
        .isEqualTo(URI.create("https://a.example/r?tenant=x&after=5"));
    assertThat(RevocationFeedFormat.withCursor(URI.create("https://a.example/r"), -1))
        .as("no cursor yet: a snapshot")
        .isEqualTo(URI.create("https://a.example/r"));
  }
}

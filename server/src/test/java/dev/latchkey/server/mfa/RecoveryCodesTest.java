package dev.latchkey.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryCodesTest {
  private final RecoveryCodes codes = new RecoveryCodes(new byte[32]);

  @Test
  void tenDistinctCodesOfTenCharactersInTwoGroups() {
    List<String> issued = codes.generate();

    assertThat(issued).hasSize(10).doesNotHaveDuplicates();
    assertThat(issued).allMatch(code -> code.matches("[a-z2-7]{5}-[a-z2-7]{5}"));
  }

  @Test
  void aCodeIsRecognisedWhateverItsCaseSpacesAndHyphen() {
    assertThat(RecoveryCodes.normalize("ABCDE-FGH23")).hasValue("abcdefgh23");
    assertThat(RecoveryCodes.normalize(" abcde fgh23")).hasValue("abcdefgh23");
    assertThat(RecoveryCodes.normalize("abcdefgh23")).hasValue("abcdefgh23");
  }

  @Test
  void whatCannotBeACodeIsNotLookedUp() {
    assertThat(RecoveryCodes.normalize("abcde-fgh2")).isEmpty();
    assertThat(RecoveryCodes.normalize("abcde-fgh01")).isEmpty(); // 0 and 1 are not base32
    assertThat(RecoveryCodes.normalize("x".repeat(1000))).isEmpty();
    assertThat(RecoveryCodes.normalize(null)).isEmpty();
  }

  @Test
  void theHashIsKeyedAndBoundToTheUser() {
    String code = "abcdefgh23";
    assertThat(codes.hash("u1", code)).hasSize(64).isEqualTo(codes.hash("u1", code));
    assertThat(codes.hash("u2", code)).isNotEqualTo(codes.hash("u1", code));
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThat(new RecoveryCodes(otherKey).hash("u1", code)).isNotEqualTo(codes.hash("u1", code));
    assertThat(new HashSet<>(List.of(codes.hash("u1", code), codes.hash("u1", "abcdefgh24"))))
        .hasSize(2);
  }
}

package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.EmailAddress;
import dev.latchkey.server.users.PasswordHasher;
import dev.latchkey.server.users.PasswordPolicy;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  @Test
  void realOwaspParametersProduceASelfDescribingArgon2idHash() {
    PasswordHasher hasher = new PasswordHasher(Argon2Params.OWASP);

    String hash = hasher.hash("correct horse battery staple".toCharArray());

    assertThat(hash)
        .matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(hasher.verify("correct horse battery staple".toCharArray(), hash)).isTrue();
    assertThat(hasher.verify("correct horse battery stapler".toCharArray(), hash)).isFalse();
    assertThat(hasher.needsRehash(hash)).isFalse();
    assertThat(hasher.hash("correct horse battery staple".toCharArray())).isNotEqualTo(hash);
  }

  @Test
  void knownAnswerFromTheReferenceImplementation() {
    // argon2 CLI: echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -e
    String reference =
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    PasswordHasher hasher = new PasswordHasher(new Argon2Params(256, 1, 1));

    assertThat(hasher.verify("password".toCharArray(), reference)).isTrue();
    assertThat(hasher.verify("Password".toCharArray(), reference)).isFalse();
    assertThat(hasher.needsRehash(reference)).isTrue();
  }

  @Test
  void aCheckCostsOneHashAtTheCurrentParametersWhateverTheStoredOnes() {
    Argon2Params current = new Argon2Params(512, 2, 1);
    PasswordHasher hasher = new PasswordHasher(current);
    String old = new PasswordHasher(new Argon2Params(256, 1, 1)).hash("password".toCharArray());
    String fresh = hasher.hash("password".toCharArray());

    long before = hasher.hashesAtCurrentParams();
    PasswordHasher.Check right = hasher.check("password".toCharArray(), old);
    assertThat(hasher.hashesAtCurrentParams() - before).isEqualTo(1);
    assertThat(right.matches()).isTrue();
    assertThat(right.rehashed()).get().asString().startsWith("$argon2id$v=19$m=512,t=2,p=1$");
    assertThat(hasher.verify("password".toCharArray(), right.rehashed().get())).isTrue();

    String unmatchable = hasher.unmatchable();
    assertThat(hasher.needsRehash(unmatchable)).isFalse();
    for (String stored : new String[] {old, fresh, unmatchable, "unreadable"}) {
      long start = hasher.hashesAtCurrentParams();
      PasswordHasher.Check wrong = hasher.check("Password".toCharArray(), stored);
      assertThat(wrong.matches()).isFalse();
      assertThat(wrong.rehashed()).isEmpty();
      assertThat(hasher.hashesAtCurrentParams() - start).as(stored).isEqualTo(1);
    }
    assertThat(hasher.check("password".toCharArray(), unmatchable).matches()).isFalse();
    long start = hasher.hashesAtCurrentParams();
    assertThat(hasher.check("password".toCharArray(), fresh).rehashed()).isEmpty();
    assertThat(hasher.hashesAtCurrentParams() - start).isEqualTo(1);
  }

  @Test
  void unreadableHashesNeverVerify() {
    PasswordHasher hasher = new PasswordHasher(new Argon2Params(256, 1, 1));
    for (String stored :
        new String[] {
          "",
          "plaintext",
          "$argon2i$v=19$m=256,t=1,p=1$c29tZXNhbHQ$abcdefghijklmnopqrstuv",
          "$argon2id$v=19$m=1,t=1,p=1$c29tZXNhbHQ$abcdefghijklmnopqrstuv"
        }) {
      assertThat(hasher.verify("password".toCharArray(), stored)).as(stored).isFalse();
      assertThat(hasher.needsRehash(stored)).isTrue();
    }
  }

  @Test
  void passwordsAreNormalisedBeforeHashing() {
    PasswordHasher hasher = new PasswordHasher(new Argon2Params(256, 1, 1));
    String hash = hasher.hash("caf\u00e9 au lait!".toCharArray());

    assertThat(hasher.verify("cafe\u0301 au lait!".toCharArray(), hash)).isTrue();
  }

  @Test
  void policyFollowsNist80063B() {
    assertThat(PasswordPolicy.check("short".toCharArray(), "a@example.com")).isPresent();
    assertThat(PasswordPolicy.check("password1".toCharArray(), "a@example.com")).isPresent();
    assertThat(PasswordPolicy.check("A@Example.com".toCharArray(), "a@example.com")).isPresent();
    assertThat(PasswordPolicy.check("sunshine".toCharArray(), null)).isPresent();
    assertThat(PasswordPolicy.check("alllowercaseisfine".toCharArray(), "a@example.com")).isEmpty();
    assertThat(PasswordPolicy.check("x".repeat(1024).toCharArray(), null)).isEmpty();
    assertThat(PasswordPolicy.check("x".repeat(1025).toCharArray(), null)).isPresent();
    assertThat(PasswordPolicy.check("\uD83D\uDD11".repeat(8).toCharArray(), null)).isEmpty();
  }

  @Test
  void emailAddressesAreNormalisedAndChecked() {
    assertThat(EmailAddress.parse("  Ada@Example.COM ")).contains("ada@example.com");
    assertThat(EmailAddress.parse("no-at-sign")).isEmpty();
    assertThat(EmailAddress.parse("two@@example.com")).isEmpty();
    assertThat(EmailAddress.parse("a b@example.com")).isEmpty();
    assertThat(EmailAddress.parse("a@localhost")).isEmpty();
    assertThat(EmailAddress.parse("a@example.com\u0000")).isEmpty();
    assertThat(EmailAddress.parse("a".repeat(65) + "@example.com")).isEmpty();
    assertThat(EmailAddress.parse(null)).isEmpty();
  }
}

package dev.latchkey.bench.server;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.bench.BenchTokens;
import dev.latchkey.bench.TempDirs;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.keys.ActiveKey;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.tokens.TokenSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.text.ParseException;

/**
 * A real auth server store (H2 file database and generated master key in a temporary folder, one
 * RS256 2048-bit active key, one user) with its {@link TokenIssuer}, and the signing input of one
 * token it issued, so that our signing path and the raw JCA can sign the same bytes.
 *
 * <p>The user's password is hashed with cheap Argon2 parameters: the benchmarks that use this
 * fixture leave the password hash out on purpose ({@link PasswordHashBenchmark} measures it).
 */
public final class IssuerFixture implements AutoCloseable {
  public static final String ISSUER = "http://localhost:9000";
  public static final String AUDIENCE = "latchkey-demo";
  public static final String EMAIL = "bench@example.com";
  public static final String CLIENT = "127.0.0.1";
  private static final Argon2Params CHEAP = new Argon2Params(8, 1, 1);

  public final Path dataDir;
  public final AuthStore store;
  public final TokenIssuer issuer;
  public final ActiveKey activeKey;
  public final String userId;

  /** A token issued by {@link #issuer}, and its parts. */
  public final IssuedToken sample;

  public final JWSHeader header;
  public final byte[] signingInput;

  /** The active key's RSA private key, for raw {@code SHA256withRSA}. */
  public final PrivateKey privateKey;

  public IssuerFixture() {
    dataDir = TempDirs.create("latchkey-bench-issuer");
    AuthServerConfig config =
        AuthServerConfig.defaults()
            .withStore(StoreSettings.embedded(dataDir))
            .withTokens(new TokenSettings(ISSUER, AUDIENCE))
            .withHashing(HashingSettings.defaults().withParams(CHEAP));
    store = AuthStore.open(config);
    try {
      store.keys().ensureActiveKey();
      userId = store.users().add(EMAIL, "correct horse battery staple".toCharArray());
      issuer = store.tokens(ISSUER);
      activeKey = store.keys().active();
      sample = BenchTokens.bearer(issuer, userId);
      SignedJWT parsed = SignedJWT.parse(sample.token());
      header = parsed.getHeader();
      signingInput = parsed.getSigningInput();
      if (!(activeKey.signer() instanceof RSASSASigner rsa)) {
        throw new IllegalStateException("expected an RS256 signer, got " + activeKey.signer());
      }
      privateKey = rsa.getPrivateKey();
    } catch (ParseException | RuntimeException e) {
      close();
      throw new IllegalStateException("cannot set up the issuance fixture", e);
    }
  }

  @Override
  public void close() {
    store.close();
    TempDirs.delete(dataDir);
  }
}

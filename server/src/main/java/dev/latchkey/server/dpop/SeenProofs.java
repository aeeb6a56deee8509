package dev.latchkey.server.dpop;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import dev.latchkey.verifier.dpop.DpopReplayStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * The DPoP proofs the auth server accepted, in the database: every instance sees every other's, so
 * a proof is accepted once whichever instance it reaches. A row is the hash of the proof's id and
 * when its proof is stale anyway; the background clean-up deletes such rows.
 */
public final class SeenProofs implements DpopReplayStore {
  private final Database db;
  private final Clock clock;

  public SeenProofs(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Use use(String proofId, Instant rememberUntil) {
    String hash = hash(proofId);
    boolean first =
        db.inTransaction(
            c ->
                Sql.insertUnlessTaken(
                    c,
                    "INSERT INTO dpop_proofs (proof_hash, expires_at) VALUES (?, ?)",
                    hash,
                    rememberUntil.toEpochMilli()));
    return first ? Use.FIRST : Use.REPLAYED;
  }

  /** Forgets the proofs that would be refused as stale anyway; returns how many. */
  public int purgeExpired() {
    return db.update("DELETE FROM dpop_proofs WHERE expires_at < ?", clock.millis());
  }

  private static String hash(String proofId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(proofId.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

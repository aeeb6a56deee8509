package dev.latchkey.server.sessions;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.RaceLost;
import dev.latchkey.server.store.Sql;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.TokenIssuer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh token families: a refresh family is the session itself, with exactly one current refresh
 * token, stored only as its hash ({@link RefreshTokenChain}). What a presented token gets is
 * decided by {@link RefreshPolicy} and applied here under the session row's lock; every rotation is
 * a conditional update of the session row, so two instances racing on one token cannot both rotate
 * it.
 */
public final class RefreshProtocol {
  private static final Logger log = LoggerFactory.getLogger(RefreshProtocol.class);
  private static final int ATTEMPTS = 4;

  /**
   * Spent refresh tokens remembered per family: enough for the grace and lost-answer rules (the
   * last one or two) and for theft detection a few rotations back; older ones are forgotten, and
   * presenting one is refused as unknown without revoking (see docs/security.md).
   */
  static final int SPENT_TOKENS_KEPT = 8;

  private final Database db;
  private final RefreshSettings settings;
  private final RefreshPolicy policy;
  private final SessionRevocation revocation;
  private final RecentAccessTokens recent = new RecentAccessTokens();
  private final Clock clock;
  private final Audit audit;

  public RefreshProtocol(
      Database db,
      MasterKey masterKey,
      SessionSettings settings,
      SessionRevocation revocation,
      Clock clock,
      Audit audit) {
    this.db = db;
    this.settings = settings.refresh();
    this.policy =
        new RefreshPolicy(
            this.settings,
            new RefreshTokenChain(masterKey.deriveKey("latchkey refresh token chain v1")));
    this.revocation = revocation;
    this.clock = clock;
    this.audit = audit;
  }

  public boolean enabled() {
    return settings.enabled();
  }

  public RefreshSettings settings() {
    return settings;
  }

  /** Remembers the access token of a new session's first refresh family (see {@link Sessions}). */
  void started(IssuedToken access) {
    recent.remember(access);
  }

  /**
   * Rotates a refresh token: the presented token is spent, and a new access token and the family's
   * next refresh token are returned. A token spent within the grace interval gets the family's
   * current pair instead; one spent earlier revokes the whole session.
   *
   * @throws RefreshRejected for anything else (generic to the client)
   * @throws IllegalStateException when refresh sessions are off
   */
  public SessionTokens refresh(String presented, TokenIssuer tokens) {
    return refresh(presented, tokens, null);
  }

  /**
   * Rotates a refresh token as {@link #refresh(String, TokenIssuer)} does, for a refresh that
   * carried a valid DPoP proof of the key with thumbprint {@code proofKey} (null: none). A family
   * bound to a key is refreshed only with a proof of that key ({@link
   * RefreshFailure#WRONG_DPOP_KEY} otherwise, nothing changed); a family not bound yet is bound to
   * {@code proofKey} from now on. The access token is bound to the family's key.
   */
  public SessionTokens refresh(String presented, TokenIssuer tokens, String proofKey) {
    if (!settings.enabled()) {
      throw new IllegalStateException("refresh sessions are off");
    }
    if (!RefreshFamilies.wellFormed(presented)) {
      throw new RefreshRejected(RefreshFailure.MALFORMED);
    }
    Outcome outcome =
        db.inTransactionRetrying(
            ATTEMPTS,
            c -> applyLocked(c, presented, tokens, proofKey),
            () -> new RefreshRejected(RefreshFailure.CONTENDED));
    if (outcome.refused() == RefreshFailure.REUSED) {
      log.warn("Refresh token reuse: revoked session {} (possible token theft)", outcome.sid());
      audit.record(AuditEvent.REFRESH_REUSE_DETECTED, "sid", outcome.sid());
    }
    if (outcome.refused() != null) {
      throw new RefreshRejected(outcome.refused());
    }
    RefreshFamily family = outcome.family();
    IssuedToken access =
        outcome.cached() != null
            ? outcome.cached()
            : recent.remember(
                tokens.issue(
                    family.userId(), family.sid(), outcome.issueAt(), family.amr(), family.jkt()));
    return new SessionTokens(
        access, outcome.refreshToken(), Instant.ofEpochMilli(family.absoluteExpiresAt()));
  }

  /**
   * What a refresh gives: the family and its refresh token to hand out, with the access token
   * already issued for it ({@code cached}), else one to issue at {@code issueAt}, whose {@code exp}
   * the session row already holds; or why it was refused.
   */
  private record Outcome(
      RefreshFamily family,
      String refreshToken,
      IssuedToken cached,
      Instant issueAt,
      RefreshFailure refused,
      String sid) {
    static Outcome give(RefreshFamily family, String refreshToken, IssuedToken cached) {
      return new Outcome(family, refreshToken, cached, null, null, family.sid());
    }

    static Outcome issue(RefreshFamily family, String refreshToken, Instant at) {
      return new Outcome(family, refreshToken, null, at, null, family.sid());
    }

    static Outcome refuse(String sid, RefreshFailure reason) {
      return new Outcome(null, null, null, null, reason, sid);
    }
  }

  /**
   * Decides what the presented token gets and writes it, under the session row's lock. An access
   * token to be signed has its {@code exp} written first: the session's {@code access_expires_at}
   * is always the last {@code exp} it can have produced, which its revocation lists in the feed.
   */
  private Outcome applyLocked(Connection c, String presented, TokenIssuer tokens, String proofKey)
      throws SQLException {
    Instant at = clock.instant();
    long now = at.toEpochMilli();
    long exp = tokens.expiryOf(at).toEpochMilli();
    String presentedHash = RefreshTokenChain.hash(presented);
    RefreshDecision decision =
        policy.decide(presented, RefreshFamilies.lookUp(c, presentedHash), now, proofKey);
    if (decision instanceof RefreshDecision.Rotate rotate) {
      RefreshFamily family = bound(c, rotate.family(), proofKey);
      int updated =
          Sql.update(
              c,
              "UPDATE sessions SET refresh_hash = ?, refresh_rotated_at = ?, last_used_at = ?,"
                  + " idle_expires_at = ?, access_expires_at = GREATEST(access_expires_at, ?)"
                  + " WHERE sid = ? AND refresh_hash = ? AND revoked_at IS NULL",
              RefreshTokenChain.hash(rotate.next()),
              now,
              now,
              rotate.idleExpiresAt(),
              exp,
              family.sid(),
              presentedHash);
      if (updated != 1) {
        throw new RaceLost(); // rotated by someone else meanwhile: look again
      }
      RefreshFamilies.spend(c, presentedHash, family.sid(), now, SPENT_TOKENS_KEPT);
      return Outcome.issue(family, rotate.next(), at);
    } else if (decision instanceof RefreshDecision.Keep keep) {
      return current(c, bound(c, keep.family(), proofKey), keep.current(), at, exp);
    } else if (decision instanceof RefreshDecision.HandOver handOver) {
      return current(c, bound(c, handOver.family(), proofKey), handOver.current(), at, exp);
    } else if (decision instanceof RefreshDecision.RevokeFamily reuse) {
      revocation.revokeLocked(c, reuse.sid(), now, "refresh_reuse");
      return Outcome.refuse(reuse.sid(), RefreshFailure.REUSED);
    } else {
      RefreshDecision.Reject reject = (RefreshDecision.Reject) decision;
      return Outcome.refuse(reject.sid(), reject.reason());
    }
  }

  /** A family not bound yet is bound to the key of the refresh's proof, from now on. */
  private static RefreshFamily bound(Connection c, RefreshFamily family, String proofKey)
      throws SQLException {
    if (family.jkt() != null || proofKey == null) {
      return family;
    }
    Sql.update(c, "UPDATE sessions SET dpop_jkt = ? WHERE sid = ?", proofKey, family.sid());
    return family.boundTo(proofKey);
  }

  /**
   * The family's current pair (kept, or handed over to a parallel tab): the access token this
   * instance issued for the family at its last refresh while it has most of its life left (more
   * than the minimum interval), else a new one: a burst of refreshes costs at most one signature
   * per family and interval on each instance.
   */
  private Outcome current(
      Connection c, RefreshFamily family, String refreshToken, Instant at, long exp)
      throws SQLException {
    long now = at.toEpochMilli();
    IssuedToken cached = recent.stillFresh(family.sid(), now, settings.minInterval().toMillis());
    if (cached != null && Objects.equals(cached.jkt(), family.jkt())) {
      Sql.update(c, "UPDATE sessions SET last_used_at = ? WHERE sid = ?", now, family.sid());
      return Outcome.give(family, refreshToken, cached);
    }
    Sql.update(
        c,
        "UPDATE sessions SET last_used_at = ?, access_expires_at = GREATEST(access_expires_at, ?)"
            + " WHERE sid = ?",
        now,
        exp,
        family.sid());
    return Outcome.issue(family, refreshToken, at);
  }
}

package dev.latchkey.server.passkeys;

import com.webauthn4j.converter.util.CborConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code passkeys} rows: one per credential, the public key as its COSE_Key CBOR. */
final class PasskeyRows {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final Database db;
  private final CborConverter cbor;

  PasskeyRows(Database db, CborConverter cbor) {
    this.db = db;
    this.cbor = cbor;
  }

  /** A stored credential, as an assertion is checked against it. */
  record Stored(String userId, CredentialRecordImpl record) {}

  /** Stores a new credential; false when its ID is registered already (to anyone). */
  boolean insert(
      Connection c,
      String userId,
      AttestedCredentialData data,
      byte flags,
      long signCount,
      Set<AuthenticatorTransport> transports,
      String name,
      long now)
      throws SQLException {
    return Sql.insertUnlessTaken(
        c,
        "INSERT INTO passkeys (credential_id, user_id, public_key, aaguid, sign_count,"
            + " uv_initialized, backup_eligible, backup_state, transports, name, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        B64.encodeToString(data.getCredentialId()),
        userId,
        B64.encodeToString(cbor.writeValueAsBytes(data.getCOSEKey())),
        data.getAaguid().toString(),
        signCount,
        (flags & 0x04) != 0,
        (flags & 0x08) != 0,
        (flags & 0x10) != 0,
        transports == null
            ? ""
            : transports.stream()
                .map(AuthenticatorTransport::getValue)
                .sorted()
                .collect(Collectors.joining(" ")),
        name,
        now);
  }

  int count(Connection c, String userId) throws SQLException {
    return Sql.one(c, "SELECT COUNT(*) FROM passkeys WHERE user_id = ?", rs -> rs.getInt(1), userId)
        .orElse(0);
  }

  /** The user's passkeys, oldest first. */
  List<Passkey> list(String userId) {
    return db.query(
        "SELECT credential_id, name, created_at, last_used_at, transports, backup_eligible"
            + " FROM passkeys WHERE user_id = ? ORDER BY created_at, credential_id",
        PasskeyRows::passkey,
        userId);
  }

  static List<Passkey> list(Connection c, String userId) throws SQLException {
    return Sql.list(
        c,
        "SELECT credential_id, name, created_at, last_used_at, transports, backup_eligible"
            + " FROM passkeys WHERE user_id = ? ORDER BY created_at, credential_id",
        PasskeyRows::passkey,
        userId);
  }

  private static Passkey passkey(ResultSet rs) throws SQLException {
    long lastUsed = rs.getLong(4);
    return new Passkey(
        rs.getString(1),
        rs.getString(2),
        Instant.ofEpochMilli(rs.getLong(3)),
        rs.wasNull() || lastUsed == 0 ? null : Instant.ofEpochMilli(lastUsed),
        transports(rs.getString(5)),
        rs.getBoolean(6));
  }

  private static List<String> transports(String stored) {
    return Arrays.stream(stored.split(" ")).filter(s -> !s.isEmpty()).toList();
  }

  /** The credential of this ID, with its owner. */
  Optional<Stored> find(byte[] credentialId) {
    return db.queryOne(
        "SELECT user_id, public_key, aaguid, sign_count, uv_initialized, backup_eligible,"
            + " backup_state, transports FROM passkeys WHERE credential_id = ?",
        rs ->
            new Stored(
                rs.getString(1),
                new CredentialRecordImpl(
                    null,
                    rs.getBoolean(5),
                    rs.getBoolean(6),
                    rs.getBoolean(7),
                    rs.getLong(4),
                    new AttestedCredentialData(
                        new AAGUID(rs.getString(3)),
                        credentialId,
                        cbor.readValue(B64D.decode(rs.getString(2)), COSEKey.class)),
                    null,
                    null,
                    null,
                    transports(rs.getString(8)).stream()
                        .map(AuthenticatorTransport::create)
                        .collect(Collectors.toSet()))),
        B64.encodeToString(credentialId));
  }

  /**
   * Records a use: the newer counter, the backup state and UV now seen. False when the row is gone
   * (removed meanwhile) or another use with a counter at least as new was recorded first: the
   * assertion is refused then, as a counter that did not grow is.
   */
  boolean used(byte[] credentialId, long signCount, boolean uv, boolean backupState, long now) {
    return db.update(
            "UPDATE passkeys SET sign_count = ?, backup_state = ?, last_used_at = ?,"
                + " uv_initialized = (uv_initialized OR ?) WHERE credential_id = ?"
                + " AND (sign_count < ? OR (sign_count = 0 AND ? = 0))",
            signCount,
            backupState,
            now,
            uv,
            B64.encodeToString(credentialId),
            signCount,
            signCount)
        == 1;
  }

  /** Removes one of the user's passkeys; false when the user has none of this ID. */
  boolean delete(String userId, String credentialId) {
    return db.update(
            "DELETE FROM passkeys WHERE user_id = ? AND credential_id = ?", userId, credentialId)
        == 1;
  }

  /** Removes every passkey of the user (the operator's reset); the number removed. */
  static int deleteAll(Connection c, String userId) throws SQLException {
    return Sql.update(c, "DELETE FROM passkeys WHERE user_id = ?", userId);
  }

  /** The user's credential IDs, for {@code excludeCredentials} and {@code allowCredentials}. */
  List<Descriptor> descriptors(String userId) {
    return db.query(
        "SELECT credential_id, transports FROM passkeys WHERE user_id = ? ORDER BY created_at",
        rs -> new Descriptor(rs.getString(1), transports(rs.getString(2))),
        userId);
  }

  /** A {@code PublicKeyCredentialDescriptorJSON}'s content. */
  record Descriptor(String id, List<String> transports) {}
}

package dev.latchkey.server.http.exchange;

import dev.latchkey.server.passkeys.Passkey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Passkeys as the answers list them ({@code GET /api/passkeys}, {@code GET /api/mfa}): {@code id}
 * (the credential ID, base64url), {@code name}, {@code createdAt}, {@code lastUsedAt} (or null),
 * {@code transports}, {@code synced}.
 */
public final class PasskeyList {
  private PasskeyList() {}

  public static List<Map<String, Object>> of(List<Passkey> passkeys) {
    return passkeys.stream().map(PasskeyList::of).toList();
  }

  private static Map<String, Object> of(Passkey p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("name", p.name());
    m.put("createdAt", p.createdAt().toString());
    m.put("lastUsedAt", p.lastUsedAt() == null ? null : p.lastUsedAt().toString());
    m.put("transports", p.transports());
    m.put("synced", p.synced());
    return m;
  }
}

package dev.latchkey.server.passkeys;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pieces of WebAuthn Level 3's options JSON: base64url without padding, descriptors. */
final class OptionsJson {
  private OptionsJson() {}

  static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@code PublicKeyCredentialDescriptorJSON}s. */
  static List<Map<String, Object>> descriptors(List<PasskeyRows.Descriptor> credentials) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (PasskeyRows.Descriptor d : credentials) {
      Map<String, Object> descriptor = new LinkedHashMap<>();
      descriptor.put("type", "public-key");
      descriptor.put("id", d.id());
      if (!d.transports().isEmpty()) {
        descriptor.put("transports", d.transports());
      }
      list.add(descriptor);
    }
    return list;
  }

  /** {@code PublicKeyCredentialRequestOptionsJSON}. */
  static Map<String, Object> requestOptions(
      byte[] challenge, String rpId, String userVerification, List<PasskeyRows.Descriptor> allow) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("challenge", base64Url(challenge));
    options.put("timeout", PasskeyChallenges.LIFETIME.toMillis());
    options.put("rpId", rpId);
    if (allow != null) {
      options.put("allowCredentials", descriptors(allow));
    }
    options.put("userVerification", userVerification);
    return options;
  }
}

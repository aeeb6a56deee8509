package dev.latchkey.server.oidc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The scopes this provider knows; others a client asks for are left out of the grant. */
public final class Scopes {
  public static final String OPENID = "openid";
  public static final String PROFILE = "profile";
  public static final String EMAIL = "email";
  public static final String OFFLINE_ACCESS = "offline_access";

  /** In the order discovery lists them. */
  public static final List<String> SUPPORTED = List.of(OPENID, PROFILE, EMAIL, OFFLINE_ACCESS);

  private Scopes() {}

  /** The supported scopes among those asked for. */
  public static Set<String> granted(Iterable<String> asked) {
    Set<String> granted = new LinkedHashSet<>();
    for (String s : asked) {
      if (SUPPORTED.contains(s)) {
        granted.add(s);
      }
    }
    return granted;
  }

  public static Set<String> parse(String stored) {
    return new LinkedHashSet<>(Arrays.asList(stored.trim().split("\\s+")));
  }

  static List<String> ordered(Set<String> scopes) {
    List<String> out = new ArrayList<>();
    for (String s : SUPPORTED) {
      if (scopes.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}

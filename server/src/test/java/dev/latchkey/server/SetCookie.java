package dev.latchkey.server;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One raw {@code Set-Cookie} header, split into name, value and attributes (keys lower-case). */
public record SetCookie(String raw, String name, String value, Map<String, String> attributes) {
  public static SetCookie parse(String raw) {
    String[] parts = raw.split(";");
    String[] nv = parts[0].split("=", 2);
    Map<String, String> attrs = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].strip().split("=", 2);
      attrs.put(kv[0].toLowerCase(Locale.ROOT), kv.length > 1 ? kv[1] : "");
    }
    return new SetCookie(raw, nv[0].strip(), nv.length > 1 ? nv[1] : "", attrs);
  }

  public static List<SetCookie> all(HttpResponse<?> response) {
    return response.headers().allValues("Set-Cookie").stream().map(SetCookie::parse).toList();
  }

  public static Optional<SetCookie> named(HttpResponse<?> response, String name) {
    return all(response).stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public boolean has(String attribute) {
    return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
  }

  public String attr(String attribute) {
    return attributes.get(attribute.toLowerCase(Locale.ROOT));
  }
}

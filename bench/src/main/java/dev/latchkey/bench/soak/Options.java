package dev.latchkey.bench.soak;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options with defaults, for the soak and the flood. */
final class Options {
  private final Map<String, String> values = new HashMap<>();

  Options(String[] args, Map<String, String> defaults, String usage) {
    values.putAll(defaults);
    Set<String> known = defaults.keySet();
    for (int i = 0; i < args.length; i += 2) {
      if (!known.contains(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "unknown or incomplete option " + args[i] + "\n" + usage);
      }
      values.put(args[i], args[i + 1]);
    }
  }

  String text(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  int integer(String name) {
    return Integer.parseInt(values.get(name));
  }

  double number(String name) {
    return Double.parseDouble(values.get(name));
  }

  List<String> words(String name) {
    String v = text(name);
    return v == null ? List.of() : Arrays.asList(v.trim().split("\\s+"));
  }

  int[] integers(String name) {
    return Arrays.stream(values.get(name).split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /** "10m", "30s", "500ms". */
  Duration duration(String name) {
    String v = values.get(name).trim();
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException(name + ": use e.g. 30s, 10m: " + v);
    };
  }

  @Override
  public String toString() {
    return new java.util.TreeMap<>(values).toString();
  }
}

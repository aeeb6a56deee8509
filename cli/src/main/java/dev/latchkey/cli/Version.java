package dev.latchkey.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code latchkey 0.1.0 (commit 5cb826b)}: the project version and the git commit, both written
 * into {@code version.properties} by the build. A build outside a git checkout leaves the commit
 * unresolved, and the command says {@code (commit unknown)}.
 */
final class Version implements IVersionProvider {

  static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {line(load())};
  }

  static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  static String line(Properties properties) {
    return "latchkey "
        + resolved(properties.getProperty("version"), "(development build)")
        + " (commit "
        + resolved(properties.getProperty("commit"), "unknown")
        + ")";
  }

  /** A value the build filled in, or {@code fallback} for a missing or unfiltered one. */
  private static String resolved(String value, String fallback) {
    return value == null || value.isBlank() || value.contains("${") ? fallback : value.strip();
  }
}

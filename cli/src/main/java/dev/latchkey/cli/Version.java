package dev.latchkey.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, when there is one. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Latchkey.class.getPackage().getImplementationVersion();
    return new String[] {"latchkey " + (version == null ? "(development build)" : version)};
  }
}

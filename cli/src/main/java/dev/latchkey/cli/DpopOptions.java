package dev.latchkey.cli;

import dev.latchkey.server.dpop.DpopMode;
import dev.latchkey.server.dpop.DpopSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** DPoP-bound sessions (RFC 9449) at {@code serve}: optional or required, server nonces. */
final class DpopOptions {

  @Option(
      names = "--dpop",
      defaultValue = "optional",
      converter = ModeConverter.class,
      description =
          "DPoP proofs on login, second step and refresh: optional (a valid proof binds the"
              + " session to its key) or required (a login that hands the token to the page"
              + " without a proof is refused) (LATCHKEY_DPOP). Default: ${DEFAULT-VALUE}.")
  DpopMode mode;

  @Option(
      names = "--dpop-nonces",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1",
      description =
          "Require DPoP proofs to carry a server nonce (DPoP-Nonce, use_dpop_nonce; the same on"
              + " every instance) (LATCHKEY_DPOP_NONCES). Default: ${DEFAULT-VALUE}.")
  boolean nonces;

  DpopSettings settings() {
    return new DpopSettings(mode, nonces);
  }

  /** {@code optional} or {@code required}, in any case. */
  static final class ModeConverter implements ITypeConverter<DpopMode> {
    @Override
    public DpopMode convert(String value) {
      try {
        return DpopMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not optional or required");
      }
    }
  }
}

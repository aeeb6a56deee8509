package dev.latchkey.cli;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * An operator command that opens the auth server's store (no HTTP), acts under the stored key
 * policy, and closes it.
 */
abstract class StoreCommand implements Callable<Integer> {

  @Mixin StoreOptions store;

  @Mixin AuditLogOption auditLog;

  @Override
  public Integer call() throws Exception {
    Logging.forOperator(auditLog.path);
    try (AuthStore opened =
        AuthStore.openForOperator(AuthServerConfig.defaults().withStore(store.settings()))) {
      run(opened);
    }
    return 0;
  }

  abstract void run(AuthStore store) throws Exception;
}

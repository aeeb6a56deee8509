package dev.latchkey.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak and the login flood measure real work only if their two server processes answer as a
 * deployment does: every minted token opens the protected route, a refresh rotates, a wrong
 * password is hashed and refused, and each process's memory can be read.
 */
class TwoServersTest {
  @Test
  void bothServersRunInTheirOwnProcessesAndAnswerEveryKindOfRequest(@TempDir Path dir)
      throws Exception {
    try (TwoServers servers =
        TwoServers.start(dir, List.of("-Xmx256m"), 2, 3, 0, null, null, TwoServers.Cpus.ANY)) {
      assertThat(servers.auth.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(servers.app.pid()).isNotEqualTo(servers.auth.pid());
      assertThat(servers.tokens).hasSize(3).doesNotHaveDuplicates();
      Calls calls = new Calls(servers.authUrl, servers.appUrl);
      for (String token : servers.tokens) {
        assertThat(calls.lessons(token)).isEqualTo(200);
      }
      assertThat(calls.lessons("not.a.token")).isEqualTo(401);
      assertThat(calls.jwks()).isEqualTo(200);

      Calls.Session session = calls.logIn(AuthChild.email(1), AuthChild.PASSWORD);
      String first = session.refreshToken;
      assertThat(calls.refresh(session)).isEqualTo(200);
      assertThat(session.refreshToken).isNotEqualTo(first);

      assertThat(calls.login(AuthChild.email(0), "wrong").statusCode()).isEqualTo(401);

      for (ServerProcess p : servers.processes()) {
        assertThat(p.memory().rssMb()).as(p.name()).isPositive();
      }
    }
  }
}

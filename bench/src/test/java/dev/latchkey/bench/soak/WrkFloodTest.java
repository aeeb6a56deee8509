package dev.latchkey.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login flood counts what the auth server really answered: wrong passwords hashed and refused
 * (401), the rest throttled (429) or refused by the full hashing pool (503), nothing else. Needs
 * Debian's wrk ({@code .ci/run} installs it).
 */
class WrkFloodTest {
  @Test
  void theFloodIsAnsweredOnlyWithRefusalsAndSomeAttemptsAreHashed(@TempDir Path dir)
      throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/wrk")), "wrk is not installed (apt-get install wrk)");
    try (TwoServers servers =
        TwoServers.start(dir, List.of("-Xmx256m"), 2, 1, 1, null, null, TwoServers.Cpus.ANY)) {
      // 128 connections against one hashing thread and 64 queue places, from 2 addresses: more
      // attempts at once than the pool holds, and more per address than the throttle allows
      WrkFlood.Answers answers =
          WrkFlood.start(servers.authUrl, null, Duration.ofSeconds(3), 128, 1000, 2, dir).finish();

      assertThat(answers.statuses()).containsKey(401);
      assertThat(answers.statuses().keySet()).isSubsetOf(401, 429, 503);
      assertThat(answers.total()).isGreaterThan(answers.statuses().get(401));
      assertThat(new Calls(servers.authUrl, servers.appUrl).jwks()).isEqualTo(200);
    }
  }
}

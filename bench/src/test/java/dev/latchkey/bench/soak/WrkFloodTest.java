package dev.latchkey.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login flood counts what the auth server really answered: wrong passwords hashed and refused
 * (401), the rest throttled (429) or refused by the full hashing pool (503), nothing else. Needs
 * Debian's wrk on the {@code PATH} ({@code .ci/run} installs it and sets {@code
 * -Dwrk.tests.required=true}: there a missing wrk fails instead of skipping).
 */
class WrkFloodTest {
  @Test
  void theFloodIsAnsweredOnlyWithRefusalsAndSomeAttemptsAreHashed(@TempDir Path dir)
      throws Exception {
    boolean installed = WrkFlood.executable().isPresent();
    if (!installed && Boolean.getBoolean("wrk.tests.required")) {
      fail("wrk is not on the PATH (apt-get install wrk), and -Dwrk.tests.required=true");
    }
    assumeTrue(
        installed, "wrk is not on the PATH (apt-get install wrk): the flood test is skipped");
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

  @Test
  void wrkIsFoundOnThePathWhereverItIs(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path notExecutable = Files.createDirectories(dir.resolve("plain"));
    Files.writeString(notExecutable.resolve("wrk"), "");
    Path local = Files.createDirectories(dir.resolve("local/bin"));
    Path wrk = Files.writeString(local.resolve("wrk"), "#!/bin/sh\n");
    assertThat(wrk.toFile().setExecutable(true)).isTrue();
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.copy(wrk, other.resolve("wrk"));
    assertThat(other.resolve("wrk").toFile().setExecutable(true)).isTrue();

    String sep = File.pathSeparator;
    assertThat(WrkFlood.find(empty + sep + notExecutable + sep + sep + local + sep + other))
        .contains(wrk);
    assertThat(WrkFlood.find(empty + sep + notExecutable)).isEmpty();
    assertThat(WrkFlood.find("")).isEmpty();
  }
}

package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code latchkey} process on this module's class path with the command's own logging set-up
 * (process-wide, so never tested in the test's JVM, which logs by {@code logback-test.xml}),
 * without any {@code LATCHKEY_*} variable of the machine.
 */
final class LatchkeyProcess {
  private LatchkeyProcess() {}

  /** What a command that ran to its end wrote, each stream apart. */
  record Result(int exit, String out, String err) {}

  /** The {@code latchkey ARGS} command, run in {@code folder}. */
  static ProcessBuilder command(Path folder, String... args) {
    return command(folder, List.of(), args);
  }

  /** The {@code latchkey ARGS} command, run in {@code folder} by a JVM given these options. */
  static ProcessBuilder command(Path folder, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Latchkey.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
    return builder;
  }

  /** Runs a command to its end with this standard input. */
  static Result run(Path folder, String stdin, String... args) throws Exception {
    Process process = command(folder, args).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    Future<String> out = readAsync(process.getInputStream());
    Future<String> err = readAsync(process.getErrorStream());
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(
        process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static Future<String> readAsync(InputStream in) {
    FutureTask<String> result =
        new FutureTask<>(() -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    Thread thread = new Thread(result);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /** Stops a server process as Ctrl-C would. */
  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}

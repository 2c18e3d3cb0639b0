package dev.presign.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged plugin, target/kubectl-presign, run as a process as kubectl runs it. */
final class Executable {

  static final Path PLUGIN = Path.of("target", "kubectl-presign").toAbsolutePath();
  static final Path COMPLETION = Path.of("target", "kubectl_complete-presign").toAbsolutePath();

  private Executable() {}

  /** Runs {@code program args...} with the given extra environment; waits at most a minute. */
  static CliRun run(Path program, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("kubectl-presign", ".out");
      Path err = Files.createTempFile("kubectl-presign", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().remove("KUBECONFIG");
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not end within a minute");
      }
      return new CliRun(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.presign.operator.realapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The podman command with the build's configuration for it (target/image/containers.conf, made by
 * src/main/docker/image.sh): the runc runtime, ulimits within the machine's hard limits, and the
 * host's network namespace by default, so that no bridge network is ever made.
 */
final class Podman {

  /** What a podman command printed and how it ended. */
  record Result(int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  private final Path containersConf;

  Podman(Path containersConf) {
    this.containersConf = containersConf;
  }

  /**
   * Why podman cannot run the image of {@code archive} here, or empty when it can: podman missing,
   * the archive not loaded, or no container of the image can start (a runtime, cgroups or storage
   * problem), in podman's own words. Loads the archive: what a user pushes is what runs.
   */
  Optional<String> whyItCannotRun(Path archive, String image) {
    Result version;
    try {
      version = run("version", "--format", "{{.Client.Version}}");
    } catch (IllegalStateException e) {
      return Optional.of("podman cannot be started: " + e.getMessage());
    }
    if (!version.succeeded()) {
      return Optional.of("podman version failed: " + version.output());
    }
    Result load = run("load", "--input", archive.toString());
    if (!load.output().contains("Loaded image: " + image)) {
      return Optional.of(
          "podman load of " + archive + " did not load " + image + ": " + load.output());
    }
    // The image's entrypoint is java -jar the operator, which needs a cluster: a container that
    // prints java's version proves the runtime, the cgroups and the storage.
    Result java =
        run(
            "run",
            "--rm",
            "--network=none",
            "--pull=never",
            "--entrypoint",
            "/opt/java/bin/java",
            image,
            "-version");
    return java.succeeded()
        ? Optional.empty()
        : Optional.of("podman cannot run a container of " + image + ": " + java.output());
  }

  Result run(String... arguments) {
    return run(List.of(arguments));
  }

  /** Runs podman with {@code arguments} and waits for it (at most two minutes). */
  Result run(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add("podman");
    command.addAll(arguments);
    try {
      Path output = Files.createTempFile("podman", ".out");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("CONTAINERS_CONF", containersConf.toString());
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " took over two minutes");
        }
        return new Result(
            process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs podman and returns what it printed; fails with its output when it fails. */
  String expect(List<String> arguments) {
    Result result = run(arguments);
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "podman " + String.join(" ", arguments) + " failed: " + result.output());
    }
    return result.output();
  }

  String expect(String... arguments) {
    return expect(List.of(arguments));
  }
}

package dev.presign.operator.demo;

import dev.presign.operator.it.FreePort;
import dev.presign.operator.it.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as it ships: the packaged jar in its own JVM, wired to the embedded API through
 * KUBECONFIG and to S3Proxy through the AWS SDK's environment credentials, as IRSA would wire it to
 * AWS. Public for the tests on a real API server (realapi).
 */
public final class OperatorProcess implements AutoCloseable {

  /**
   * The -XX options of the image's JVM (src/main/docker/jvm.options; its -D options are the
   * container's: host 0.0.0.0). Its heap share of the container's limit gives way to the -Xmx and
   * -Xms below.
   */
  private static final List<String> IMAGE_JVM_OPTIONS =
      imageJvmOptions().stream().filter(option -> option.startsWith("-XX:")).toList();

  private final Process process;
  private final URI readiness;
  private final Path log;

  private OperatorProcess(Process process, URI readiness, Path log) {
    this.process = process;
    this.readiness = readiness;
    this.log = log;
  }

  public static OperatorProcess start(Path jar, Path kubeconfig, Path log) throws IOException {
    return start(jar, kubeconfig, log, Map.of());
  }

  /**
   * @param settings further environment variables, such as PRESIGN_POLICY_FILE
   */
  public static OperatorProcess start(
      Path jar, Path kubeconfig, Path log, Map<String, String> settings) throws IOException {
    int httpPort = FreePort.onLoopback();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The heap and collector of the image: 40% of deploy/'s 640Mi limit, a quarter of it at start.
    command.addAll(List.of("-Xmx256m", "-Xms64m"));
    IMAGE_JVM_OPTIONS.stream().map(OperatorProcess::besideTheJar).forEach(command::add);
    // Run from the jar's directory, as the build made its class-data archive.
    Path application = jar.toAbsolutePath();
    command.addAll(List.of("-jar", application.getFileName().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(application.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    // Only the demo's servers and identity: never the person's own cluster or AWS account.
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("AWS_")
                    || name.startsWith("KUBERNETES_")
                    || name.startsWith("QUARKUS_")
                    || name.startsWith("PRESIGN_"));
    env.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_ACCESS_KEY);
    env.put("PRESIGN_REGION", S3ProxyServer.REGION);
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
    env.putAll(settings);
    return new OperatorProcess(
        builder.start(), URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"), log);
  }

  /** The health endpoint that answers 200 once the operator watches its resources. */
  public URI readiness() {
    return readiness;
  }

  /** Sends SIGTERM, as the kubelet does to stop a pod (what Process.destroy does on Unix). */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the process to end; false when it still runs after {@code timeout}. */
  public boolean exited(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends SIGKILL, as a node that dies or the OOM killer would: no shutdown hook runs. */
  public void kill() {
    process.destroyForcibly();
  }

  /** The operator's process id, for jcmd and /proc. */
  public long pid() {
    return process.pid();
  }

  public int exitValue() {
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Why the operator is gone, for a failure message. */
  public String exitDescription() {
    return "the operator exited with status " + process.exitValue();
  }

  public Path log() {
    return log;
  }

  public List<String> lastLogLines(int count) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return lines.subList(Math.max(0, lines.size() - count), lines.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * The image's class-data archive is made by its JVM in /deployments; the build makes one for its
   * own JDK beside the jar (quarkus.package.jar.appcds.enabled), for a run from there.
   */
  private static String besideTheJar(String option) {
    String archive = "-XX:SharedArchiveFile=";
    return option.startsWith(archive) ? archive + "app-cds.jsa" : option;
  }

  /** The options of the image's JVM, src/main/docker/jvm.options, in their order. */
  public static List<String> imageJvmOptions() {
    Path options = Path.of("src", "main", "docker", "jvm.options");
    try {
      return Files.readAllLines(options).stream()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

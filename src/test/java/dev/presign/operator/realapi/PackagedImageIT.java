package dev.presign.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.demo.OperatorProcess;
import dev.presign.operator.deploy.Manifests;
import dev.presign.operator.it.FreePort;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyServer;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's image (./mvnw -Pimage package: target/presign-operator-VERSION-oci.tar) run by
 * podman as deploy/40-deployment.yaml runs it on a cluster, its settings read from that file: the
 * user, read-only root file system, capabilities, no new privileges, memory and CPU limits, the
 * environment, the emptyDir at /tmp (a tmpfs of its size limit), the termination grace period. It
 * is configured in-cluster as a pod is: a TokenRequest token of deploy/'s ServiceAccount under
 * deploy/'s RBAC, with the API server's CA and the namespace, at
 * /var/run/secrets/kubernetes.io/serviceaccount, and KUBERNETES_SERVICE_HOST/PORT naming a real API
 * server (kube-api-test, on 127.0.0.1: the container shares the host's network namespace). S3 is
 * S3Proxy, with static credentials in the environment standing in for IRSA.
 *
 * <p>Built without -Pimage, there is no image and the test is skipped. With it, a podman that
 * cannot run containers skips the test with the reason on a developer's machine and fails it in CI
 * (CI=true).
 */
class PackagedImageIT {

  private static final Path DEPLOYMENT = Manifests.DEPLOY.resolve("40-deployment.yaml");
  private static final String SERVICE_ACCOUNT_MOUNT =
      "/var/run/secrets/kubernetes.io/serviceaccount";

  /** A JVM start on a busy machine. */
  private static final Duration START_BOUND = Duration.ofSeconds(90);

  private static final byte[] REPORT = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);
  private static final String BUCKET = "image";

  @TempDir static Path directory;

  private static Podman podman;
  private static Deployment deployment;
  private static Container operator;
  private static RealApiServer api;
  private static S3ProxyServer s3;
  private static Path serviceAccount;
  private static String image;

  @BeforeAll
  static void startServers() throws Exception {
    String archive = System.getProperty("image.archive");
    Assumptions.assumeTrue(
        archive != null,
        "no image: it is built by ./mvnw -Pimage package (README, Container image)");
    podman = new Podman(Path.of(System.getProperty("image.containers.conf")));
    deployment = only(Manifests.parseFile(DEPLOYMENT), Deployment.class);
    operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    image = System.getProperty("image.name");
    assertThat("localhost/" + operator.getImage())
        .as("deploy/ names the image the build makes")
        .isEqualTo(image);
    Optional<String> cannotRun = podman.whyItCannotRun(Path.of(archive), image);
    if (cannotRun.isPresent()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI runs the image, but " + cannotRun.get());
      }
      Assumptions.abort(cannotRun.get());
    }

    api = RealApiServer.start();
    serviceAccount = projectedServiceAccount(DeployedRbac.operatorToken(api, Duration.ofHours(1)));
    s3 = S3ProxyServer.start();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "report.csv", REPORT);
  }

  @AfterAll
  static void stopServers() {
    if (s3 != null) {
      s3.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void theImageRunAsDeployRunsItServesALinkWithinItsLimitsAndExitsZeroOnSigterm() throws Exception {
    try (RunningOperator running = RunningOperator.start("presign-operator-deploy", List.of())) {
      running.awaitProbes();
      assertServesALink("as-deployed");

      assertThat(running.log())
          .as("the image's JVM runs with the options of src/main/docker/jvm.options")
          .contains(
              "Picked up JDK_JAVA_OPTIONS: " + String.join(" ", OperatorProcess.imageJvmOptions()));
      assertThat(running.mappedFiles())
          .as("the JVM maps the class-data archives, the JDK's and the one the build made with it")
          .contains("/opt/java/lib/server/classes.jsa", "/deployments/app-cds.jsa");

      Path root = running.rootFileSystem();
      assertThat(root.resolve("bin/sh")).as("no shell in the image").doesNotExist();
      assertThat(root.resolve("usr/bin/sh")).doesNotExist();
      String version = image.substring(image.lastIndexOf(':') + 1);
      assertThat(root.resolve("deployments/sbom/presign-operator.cdx.json"))
          .hasSameBinaryContentAs(
              Path.of("target", "presign-operator-" + version + "-sbom.cdx.json"));
      assertThat(root.resolve("deployments/sbom/debian-packages.txt"))
          .hasSameBinaryContentAs(
              Path.of("target", "presign-operator-" + version + "-debian-packages.txt"))
          .content()
          .contains("libc6 ");

      ProcessStatus process = running.processStatus();
      SecurityContext security = operator.getSecurityContext();
      assertThat(process.field("Uid")).startsWith(security.getRunAsUser() + "\t");
      assertThat(process.field("NoNewPrivs")).as("allowPrivilegeEscalation: false").isEqualTo("1");
      if (security.getCapabilities().getDrop().contains("ALL")) {
        for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
          assertThat(process.field(set)).as("capabilities.drop: [ALL], " + set).matches("0+");
        }
      }
      assertThat(process.field("Seccomp"))
          .as("seccompProfile RuntimeDefault: a filter")
          .isEqualTo("2");
      assertThat(running.mountOptions("/")).as("readOnlyRootFilesystem: true").contains("ro");
      assertThat(running.mountOptions("/tmp")).as("the tmp emptyDir").contains("rw");
      assertThat(running.mountOptions(SERVICE_ACCOUNT_MOUNT)).contains("ro");

      long limit = memoryLimit().getNumericalAmount().longValueExact();
      assertThat(running.memoryLimit()).isEqualTo(limit);
      long peak = running.peakMemory();
      System.out.printf(
          "image as deploy/ runs it: Ready %d ms after podman run; peak memory %d MiB of %d MiB%n",
          running.timeToReady().toMillis(), peak >> 20, limit >> 20);
      assertThat(peak).isLessThan(limit);

      int exitCode = running.stop();
      System.out.printf(
          "podman stop (SIGTERM): exited after %d ms%n", running.stopTook().toMillis());
      assertThat(exitCode)
          .as(
              "exit status after SIGTERM, within terminationGracePeriodSeconds (then SIGKILL: 137)\n"
                  + running.logTail())
          .isZero();
      assertThat(running.inspect("{{.State.OOMKilled}}")).isEqualTo("false");
    }
  }

  /** OpenShift's restricted SCC runs a pod as an arbitrary user id in group 0. */
  @Test
  void anArbitraryUserIdInGroupZeroRunsItToo() throws Exception {
    try (RunningOperator running =
        RunningOperator.start("presign-operator-arbitrary-uid", List.of("1000680000:0"))) {
      running.awaitProbes();
      assertThat(running.processStatus().field("Uid")).startsWith("1000680000\t");
      assertServesALink("arbitrary-uid");
      assertThat(running.stop()).as(running.logTail()).isZero();
    }
  }

  private static void assertServesALink(String namespace) {
    api.createNamespace(namespace);
    Links links = new Links(api.client(), namespace, s3.endpoint());
    links.create("report", BUCKET, "report.csv", spec -> {});
    assertThat(Http.get(links.awaitUrl("report")).body()).isEqualTo(REPORT);
  }

  /**
   * The files the kubelet projects for a pod's ServiceAccount: its token, the cluster's CA and the
   * pod's namespace, readable by any user, as Kubernetes' default mode 0644 makes them.
   */
  private static Path projectedServiceAccount(String token) throws IOException {
    Path files = Files.createDirectory(directory.resolve("serviceaccount"));
    Files.writeString(files.resolve("token"), token);
    Files.copy(Path.of(api.adminConfig().getCaCertFile()), files.resolve("ca.crt"));
    Files.writeString(files.resolve("namespace"), deployment.getMetadata().getNamespace());
    Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (var each = Files.list(files)) {
      for (Path file : each.toList()) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    return files;
  }

  private static Quantity memoryLimit() {
    return operator.getResources().getLimits().get("memory");
  }

  /**
   * `podman run` with the settings of deploy/'s Deployment, each read from the file; a setting the
   * test cannot reproduce fails it rather than being left out.
   */
  private static List<String> runArguments(String name, int httpPort, List<String> userOverride) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    PodSecurityContext podSecurity = pod.getSecurityContext();
    SecurityContext security = operator.getSecurityContext();
    List<String> arguments =
        new ArrayList<>(
            List.of("run", "--detach", "--name", name, "--pull=never", "--network=host"));

    Long user = Optional.ofNullable(security.getRunAsUser()).orElse(podSecurity.getRunAsUser());
    if (Boolean.TRUE.equals(security.getRunAsNonRoot())
        || Boolean.TRUE.equals(podSecurity.getRunAsNonRoot())) {
      assertThat(user).as("runAsNonRoot: the kubelet starts no container as root").isNotZero();
    }
    arguments.add("--user=" + (userOverride.isEmpty() ? user : userOverride.get(0)));
    if (Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
      // Only the volumes are writable: podman adds no tmpfs of its own to a read-only root.
      arguments.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
    }
    if (Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
      arguments.add("--security-opt=no-new-privileges");
    }
    Capabilities capabilities = security.getCapabilities();
    capabilities.getDrop().forEach(cap -> arguments.add("--cap-drop=" + cap.toLowerCase()));
    capabilities.getAdd().forEach(cap -> arguments.add("--cap-add=" + cap.toLowerCase()));
    for (SeccompProfile seccomp :
        List.of(security.getSeccompProfile(), podSecurity.getSeccompProfile())) {
      // podman's default seccomp profile is the runtime's default.
      assertThat(seccomp.getType()).isEqualTo("RuntimeDefault");
    }

    Map<String, Quantity> limits = operator.getResources().getLimits();
    long memory = limits.get("memory").getNumericalAmount().longValueExact();
    // No swap, as on a Kubernetes node.
    arguments.addAll(List.of("--memory=" + memory + "b", "--memory-swap=" + memory + "b"));
    arguments.add("--cpus=" + limits.get("cpu").getNumericalAmount().toPlainString());

    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, Function.identity()));
    for (VolumeMount mount : operator.getVolumeMounts()) {
      Volume volume = volumes.get(mount.getName());
      assertThat(volume.getEmptyDir()).as("the test reproduces emptyDir volumes only").isNotNull();
      long size = volume.getEmptyDir().getSizeLimit().getNumericalAmount().longValueExact();
      arguments.add("--tmpfs=" + mount.getMountPath() + ":rw,size=" + size + ",mode=1777");
    }
    arguments.add("--volume=" + serviceAccount + ":" + SERVICE_ACCOUNT_MOUNT + ":ro");

    for (EnvVar env : operator.getEnv()) {
      arguments.add("--env=" + env.getName() + "=" + value(env));
    }
    // In-cluster configuration as the kubelet gives it, to the test's API server.
    String apiPort = api.url().substring(api.url().lastIndexOf(':') + 1);
    arguments.add("--env=KUBERNETES_SERVICE_HOST=127.0.0.1");
    arguments.add("--env=KUBERNETES_SERVICE_PORT=" + apiPort);
    arguments.add("--env=HOSTNAME=" + name);
    // The host's network is shared: a port of the test's own instead of 8080.
    arguments.add("--env=QUARKUS_HTTP_PORT=" + httpPort);
    // IRSA's stand-in: S3Proxy's static credentials.
    arguments.add("--env=AWS_ACCESS_KEY_ID=" + S3ProxyServer.ACCESS_KEY_ID);
    arguments.add("--env=AWS_SECRET_ACCESS_KEY=" + S3ProxyServer.SECRET_ACCESS_KEY);
    arguments.add(operator.getImage());
    return arguments;
  }

  /** An environment variable's value as the kubelet sets it. */
  private static String value(EnvVar env) {
    if (env.getValueFrom() == null) {
      return env.getValue();
    }
    String field = env.getValueFrom().getFieldRef().getFieldPath();
    return switch (field) {
      case "metadata.namespace" -> deployment.getMetadata().getNamespace();
      default -> throw new IllegalStateException("the test sets no " + field + " of " + env);
    };
  }

  private static <T> T only(List<?> objects, Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }

  /** The kernel's view of the container's process: /proc/PID/status. */
  private record ProcessStatus(Map<String, String> fields) {
    String field(String name) {
      return fields.get(name);
    }
  }

  /** The operator's container, removed on close; its log is kept in target/. */
  private static final class RunningOperator implements AutoCloseable {

    private final String name;
    private final int httpPort;
    private final long startedAt;
    private Duration timeToReady;
    private Duration stopTook;

    private RunningOperator(String name, int httpPort, long startedAt) {
      this.name = name;
      this.httpPort = httpPort;
      this.startedAt = startedAt;
    }

    static RunningOperator start(String name, List<String> userOverride) throws IOException {
      podman.run("rm", "--force", name);
      int httpPort = FreePort.onLoopback();
      long startedAt = System.nanoTime();
      podman.expect(runArguments(name, httpPort, userOverride));
      return new RunningOperator(name, httpPort, startedAt);
    }

    /** Waits until the startup, liveness and readiness probes of deploy/ answer 200. */
    void awaitProbes() {
      String readiness = operator.getReadinessProbe().getHttpGet().getPath();
      try {
        await()
            .atMost(START_BOUND)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .until(() -> status(readiness) == 200);
      } catch (RuntimeException e) {
        throw new AssertionError("the operator never got ready:\n" + logTail(), e);
      }
      timeToReady = Duration.ofNanos(System.nanoTime() - startedAt);
      assertThat(status(operator.getStartupProbe().getHttpGet().getPath())).isEqualTo(200);
      assertThat(status(operator.getLivenessProbe().getHttpGet().getPath())).isEqualTo(200);
    }

    Duration timeToReady() {
      return timeToReady;
    }

    private int status(String path) {
      return Http.get("http://127.0.0.1:" + httpPort + path).status();
    }

    String inspect(String format) {
      return podman.expect("inspect", "--format", format, name);
    }

    ProcessStatus processStatus() throws IOException {
      Map<String, String> fields =
          Files.readAllLines(Path.of("/proc", pid(), "status")).stream()
              .map(line -> line.split(":\t*", 2))
              .collect(Collectors.toMap(f -> f[0], f -> f[1].strip(), (a, b) -> a));
      return new ProcessStatus(fields);
    }

    /** The container's root file system as its process sees it (/proc/PID/root). */
    Path rootFileSystem() {
      return Path.of("/proc", pid(), "root");
    }

    /** The files the container's process has mapped into its memory (/proc/PID/maps). */
    List<String> mappedFiles() throws IOException {
      return Files.readAllLines(Path.of("/proc", pid(), "maps")).stream()
          .map(line -> line.split("\\s+", 6))
          .filter(fields -> fields.length == 6)
          .map(fields -> fields[5])
          .distinct()
          .toList();
    }

    /** The options of the container's mount at {@code mountPoint} (/proc/PID/mountinfo). */
    List<String> mountOptions(String mountPoint) throws IOException {
      return Files.readAllLines(Path.of("/proc", pid(), "mountinfo")).stream()
          .map(line -> line.split(" "))
          .filter(fields -> fields[4].equals(mountPoint))
          .reduce((first, second) -> second)
          .map(fields -> Arrays.asList(fields[5].split(",")))
          .orElseThrow(() -> new AssertionError("no mount at " + mountPoint));
    }

    long memoryLimit() throws IOException {
      return Long.parseLong(memoryFile("memory.max", "memory.limit_in_bytes"));
    }

    /** The container's peak memory, as its memory cgroup counts it for the limit. */
    long peakMemory() throws IOException {
      return Long.parseLong(memoryFile("memory.peak", "memory.max_usage_in_bytes"));
    }

    /** A file of the container's memory cgroup: cgroup v2's name or v1's. */
    private String memoryFile(String v2, String v1) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc", pid(), "cgroup"))) {
        String[] fields = line.split(":", 3);
        Path file = null;
        if (fields[0].equals("0") && fields[1].isEmpty()) {
          file = Path.of("/sys/fs/cgroup" + fields[2], v2);
        } else if (Arrays.asList(fields[1].split(",")).contains("memory")) {
          file = Path.of("/sys/fs/cgroup/memory" + fields[2], v1);
        }
        if (file != null && Files.isReadable(file)) {
          return Files.readString(file).strip();
        }
      }
      throw new AssertionError("no memory cgroup file " + v2 + " or " + v1 + " of " + name);
    }

    private String pid() {
      return inspect("{{.State.Pid}}");
    }

    /** `podman stop` with the Deployment's grace period: SIGTERM, then SIGKILL. */
    int stop() {
      long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
      long from = System.nanoTime();
      podman.expect("stop", "--time", Long.toString(grace), name);
      stopTook = Duration.ofNanos(System.nanoTime() - from);
      return Integer.parseInt(inspect("{{.State.ExitCode}}"));
    }

    Duration stopTook() {
      return stopTook;
    }

    String log() {
      return podman.run("logs", name).output();
    }

    String logTail() {
      List<String> lines = log().lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws IOException {
      Files.writeString(Path.of("target", name + ".log"), log() + "\n");
      podman.run("rm", "--force", name);
    }
  }
}

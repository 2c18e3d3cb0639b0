package dev.presign.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.demo.OperatorProcess;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the operator as it ships (the packaged jar, each in its own JVM, with leader
 * election on and the chart's Lease settings: 15 s lease, 2 s retry) on a real API server's Lease
 * API, each as deploy/'s ServiceAccount under deploy/'s leader election Role. SIGTERM to the leader
 * hands the Lease over to the standby within about 2 s; SIGKILL, within the lease duration. Then
 * the new leader serves links. It needs the jar, so failsafe runs it after the package phase.
 */
class PackagedOperatorLeasesIT {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
  private static final String LEASE = "presign-operator-lease";
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  /**
   * A released Lease is taken at the standby's next try. With the chart's 2 s retry period,
   * fabric8's LeaderElector tries every 2 to 4.4 s (it adds up to 120% jitter), so the handover
   * takes up to 4.4 s (about 3 s measured); the bound adds a busy machine's latency. Handing over
   * within 2 s would take a retry period of 0.8 s or less (PRESIGN_LEADER_ELECTION_RETRY_PERIOD).
   */
  private static final Duration SIGTERM_HANDOVER_BOUND = Duration.ofSeconds(6);

  /** The Lease runs out 15 s after its last renewal; then the standby's next try takes it. */
  private static final Duration SIGKILL_HANDOVER_BOUND = LEASE_DURATION.plusSeconds(6);

  /** A JVM start on a busy machine. */
  private static final Duration START_BOUND = Duration.ofSeconds(90);

  private static final byte[] REPORT = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path directory;

  private static RealApiServer api;
  private static S3ProxyServer s3;
  private static Path kubeconfig;

  @BeforeAll
  static void startServers() throws Exception {
    api = RealApiServer.start();
    new DeployedRbac().accept(api);
    String[] operator = DeployedRbac.OPERATOR.split("/");
    kubeconfig =
        api.writeKubeconfig(
            directory.resolve("kubeconfig"),
            api.serviceAccountToken(operator[0], operator[1], Duration.ofHours(1)));
    s3 = S3ProxyServer.start();
    s3.createBucket("leases");
    s3.putObject("leases", "report.csv", REPORT);
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
  void aLeaderSentSigtermHandsTheLeaseToTheStandbyWithinSeconds() throws Exception {
    try (OperatorProcess leader = start("term-a");
        OperatorProcess standby = awaitLeaderThenStart(leader, "term-a", "term-b")) {
      leader.terminate();

      Duration handover = awaitHolder("term-b", SIGTERM_HANDOVER_BOUND, standby);
      System.out.printf(
          "SIGTERM to the leader: standby holds the Lease after %d ms%n", handover.toMillis());
      assertThat(leader.exited(Duration.ofSeconds(20))).isTrue();
      assertThat(leader.exitValue()).as(leader.exitDescription()).isZero();
      newLeaderServesLinks("after-sigterm");
    }
  }

  @Test
  void aLeaderKilledIsReplacedWithinTheLeaseDuration() throws Exception {
    try (OperatorProcess leader = start("kill-a");
        OperatorProcess standby = awaitLeaderThenStart(leader, "kill-a", "kill-b")) {
      leader.kill();

      Duration handover = awaitHolder("kill-b", SIGKILL_HANDOVER_BOUND, standby);
      System.out.printf(
          "SIGKILL to the leader: standby holds the Lease after %d ms (lease %d s)%n",
          handover.toMillis(), LEASE_DURATION.toSeconds());
      newLeaderServesLinks("after-sigkill");
    }
  }

  /** Waits until {@code leader} holds the Lease, then starts a standby and waits until it is up. */
  private OperatorProcess awaitLeaderThenStart(
      OperatorProcess leader, String leaderName, String standbyName) throws Exception {
    await().atMost(START_BOUND).until(() -> leaderName.equals(holder()) || !leader.isAlive());
    assertThat(leader.isAlive()).as("the leader runs").isTrue();
    OperatorProcess standby = start(standbyName);
    await()
        .atMost(START_BOUND)
        .ignoreExceptions()
        .until(
            () -> !standby.isAlive() || Http.get(standby.readiness().toString()).status() == 200);
    assertThat(standby.isAlive()).as("the standby runs").isTrue();
    assertThat(holder()).isEqualTo(leaderName);
    return standby;
  }

  /** The time from now until {@code name} holds the Lease, at most {@code bound}. */
  private Duration awaitHolder(String name, Duration bound, OperatorProcess standby) {
    long from = System.nanoTime();
    await()
        .atMost(bound)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> name.equals(holder()) || !standby.isAlive());
    assertThat(standby.isAlive()).as("the standby runs").isTrue();
    return Duration.ofNanos(System.nanoTime() - from);
  }

  private void newLeaderServesLinks(String name) {
    api.createNamespace("leases");
    Links links = new Links(api.client(), "leases", s3.endpoint());
    links.create(name, "leases", "report.csv", spec -> {});
    assertThat(Http.get(links.awaitUrl(name)).body()).isEqualTo(REPORT);
  }

  private static String holder() {
    Lease lease =
        api.client().leases().inNamespace(DeployedRbac.OPERATOR_NAMESPACE).withName(LEASE).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /**
   * @param identity the pod name, which the operator takes as its name in the Lease
   */
  private static OperatorProcess start(String identity) throws Exception {
    return OperatorProcess.start(
        JAR,
        kubeconfig,
        directory.resolve(identity + ".log"),
        Map.of(
            "HOSTNAME",
            identity,
            "PRESIGN_LEADER_ELECTION_ENABLED",
            "true",
            "PRESIGN_LEADER_ELECTION_LEASE_NAMESPACE",
            DeployedRbac.OPERATOR_NAMESPACE));
  }
}

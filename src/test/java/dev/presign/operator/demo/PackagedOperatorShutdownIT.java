package dev.presign.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpecBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as it ships, with leader election on, stopped as the kubelet stops a pod: SIGTERM. A
 * leader hands its Lease back, a standby leaves it alone, and both end promptly with status 0; the
 * reconciles the stop cuts short are not reported as failures. A leader that loses its Lease while
 * it runs ends at once, with an error status. It needs the jar, so failsafe runs it after the
 * package phase.
 */
class PackagedOperatorShutdownIT {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
  private static final String LEASE_NAMESPACE = "presign-system";
  private static final String LEASE_NAME = "presign-operator-lease";

  /** Far more than a stop takes: the test is about ending at all, not about speed. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(20);

  /** Links enough that the leader is still writing when SIGTERM comes. */
  private static final int BURST = 1_000;

  /** A JVM start on a busy machine. */
  private static final Duration START_BOUND = Duration.ofSeconds(60);

  @TempDir Path directory;

  @Test
  void aLeaderSentSigtermHandsBackItsLeaseAndExitsWithStatusZero() throws Exception {
    try (EmbeddedKubernetesApi api = startApi();
        OperatorProcess leader = start("replica-a", Map.of())) {
      await().atMost(START_BOUND).until(() -> "replica-a".equals(holder(api)) || !leader.isAlive());
      assertThat(leader.isAlive()).as("the leader runs").isTrue();

      Duration stop = terminate(leader, "leader");

      assertThat(leader.exitValue()).as(leader.exitDescription()).isZero();
      // What fabric8's LeaderElector.release writes: no holder, and a Lease that expires at once.
      LeaseSpec released = lease(api).get().getSpec();
      assertThat(released.getHolderIdentity()).as("the Lease's holder").isNullOrEmpty();
      assertThat(released.getLeaseDurationSeconds()).isEqualTo(1);
      System.out.printf("leader: SIGTERM to exit %d ms, status 0%n", stop.toMillis());
    }
  }

  @Test
  void aLeaderSentSigtermInABurstReportsNoFailure() throws Exception {
    try (EmbeddedKubernetesApi api = startApi()) {
      api.client()
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("burst").endMetadata().build())
          .create();
      // Signed offline; their verification finds nothing listening, which is no failure either.
      Links links = new Links(api.client(), "burst", URI.create("http://127.0.0.1:9"));
      for (int i = 0; i < BURST; i++) {
        links.create("link-" + i, "reports", "report-" + i + ".pdf", spec -> {});
      }
      try (OperatorProcess leader = start("replica-a", Map.of())) {
        await()
            .atMost(START_BOUND)
            .until(() -> !api.client().secrets().inNamespace("burst").list().getItems().isEmpty());

        terminate(leader, "leader");

        assertThat(leader.exitValue()).as(leader.exitDescription()).isZero();
        int written = api.client().secrets().inNamespace("burst").list().getItems().size();
        assertThat(written).as("Secrets written before the stop").isLessThan(BURST);
        assertThat(Files.readAllLines(leader.log()))
            .as("reconciles the stop cut short are not reported as failures")
            .noneMatch(line -> line.contains("WARN") && line.contains("burst/link-"));
      }
    }
  }

  @Test
  void aStandbySentSigtermLeavesTheLeaseAloneAndExitsWithStatusZero() throws Exception {
    try (EmbeddedKubernetesApi api = startApi()) {
      api.client()
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withNamespace(LEASE_NAMESPACE)
                  .withName(LEASE_NAME)
                  .endMetadata()
                  .withSpec(heldBy("replica-a"))
                  .build())
          .create();
      // A standby takes a Lease whose record has not changed for its own leaseDuration; on a slow
      // machine the start alone can take that long, and replica-a here never renews.
      try (OperatorProcess standby =
          start("replica-b", Map.of("PRESIGN_LEADER_ELECTION_LEASE_DURATION", "1h"))) {
        await()
            .atMost(START_BOUND)
            .ignoreExceptions()
            .until(
                () ->
                    !standby.isAlive() || Http.get(standby.readiness().toString()).status() == 200);
        assertThat(standby.isAlive()).as("the standby runs").isTrue();

        Duration stop = terminate(standby, "standby");

        assertThat(standby.exitValue()).as(standby.exitDescription()).isZero();
        assertThat(holder(api)).isEqualTo("replica-a");
        System.out.printf("standby: SIGTERM to exit %d ms, status 0%n", stop.toMillis());
      }
    }
  }

  @Test
  void aLeaderThatLosesItsLeaseExitsAtOnceWithAnErrorStatus() throws Exception {
    try (EmbeddedKubernetesApi api = startApi();
        OperatorProcess leader =
            start("replica-a", Map.of("PRESIGN_LEADER_ELECTION_RETRY_PERIOD", "500ms"))) {
      await().atMost(START_BOUND).until(() -> "replica-a".equals(holder(api)) || !leader.isAlive());
      assertThat(leader.isAlive()).as("the leader runs").isTrue();

      // Another replica took the Lease: what the leader sees after it could not renew in time.
      long taken = System.nanoTime();
      // The leader renews every 500 ms; an edit that meets a renewal is refused (409) and made
      // again.
      await()
          .atMost(STOP_BOUND)
          .ignoreExceptionsMatching(Links::isConflict)
          .until(
              () ->
                  lease(api)
                          .edit(
                              lease ->
                                  new LeaseBuilder(lease).withSpec(heldBy("replica-b")).build())
                      != null);

      assertThat(leader.exited(STOP_BOUND)).as("the leader ended").isTrue();
      Duration exit = Duration.ofNanos(System.nanoTime() - taken);
      assertThat(leader.exitValue()).as(leader.exitDescription()).isEqualTo(1);
      assertThat(holder(api)).isEqualTo("replica-b");
      assertThat(Files.readString(leader.log())).contains("Lost the Lease");
      System.out.printf(
          "deposed leader: Lease taken to exit %d ms (retry period 500 ms), status 1%n",
          exit.toMillis());
    }
  }

  private EmbeddedKubernetesApi startApi() throws Exception {
    return EmbeddedKubernetesApi.start(directory.resolve("kubeconfig")).grantLeaseRights();
  }

  /**
   * @param identity the pod name, which the operator takes as its name in the Lease
   */
  private OperatorProcess start(String identity, Map<String, String> settings) throws Exception {
    Map<String, String> env = new HashMap<>(settings);
    env.put("HOSTNAME", identity);
    env.put("PRESIGN_LEADER_ELECTION_ENABLED", "true");
    env.put("PRESIGN_LEADER_ELECTION_LEASE_NAMESPACE", LEASE_NAMESPACE);
    return OperatorProcess.start(
        JAR, directory.resolve("kubeconfig"), directory.resolve(identity + ".log"), env);
  }

  /** SIGTERM, then the time until the process has ended. */
  private static Duration terminate(OperatorProcess operator, String role) throws Exception {
    long sent = System.nanoTime();
    operator.terminate();
    assertThat(operator.exited(STOP_BOUND))
        .as(
            () ->
                "the %s ended within %s of SIGTERM; its last lines:%n%s"
                    .formatted(role, STOP_BOUND, String.join("\n", operator.lastLogLines(30))))
        .isTrue();
    return Duration.ofNanos(System.nanoTime() - sent);
  }

  private static Resource<Lease> lease(EmbeddedKubernetesApi api) {
    return api.client().leases().inNamespace(LEASE_NAMESPACE).withName(LEASE_NAME);
  }

  private static String holder(EmbeddedKubernetesApi api) {
    Lease lease = lease(api).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** A Lease renewed just now by {@code identity}, for longer than any test runs. */
  private static LeaseSpec heldBy(String identity) {
    ZonedDateTime now = ZonedDateTime.now();
    return new LeaseSpecBuilder()
        .withHolderIdentity(identity)
        .withLeaseDurationSeconds(3600)
        .withAcquireTime(now)
        .withRenewTime(now)
        .build();
  }
}

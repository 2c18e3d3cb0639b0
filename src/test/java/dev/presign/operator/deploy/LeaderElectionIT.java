package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.lifecycle.LeaderElectionProducer;
import dev.presign.operator.lifecycle.Leadership;
import dev.presign.operator.lifecycle.StopLeading;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the operator on one API server: only the holder of the Lease reconciles, and when
 * it stops the other takes over. Each replica is a plain SDK Operator (one JVM holds one Quarkus
 * app) with the production reconciler and the Lease settings of {@link LeaderElectionProducer};
 * only the Lease is shortened, and a replica that stops leading does not exit ({@link
 * NonExitingLease}). PackagedOperatorShutdownIT stops and deposes the operator as it ships.
 */
class LeaderElectionIT {

  private static final String OPERATOR_NAMESPACE = "presign-system";
  private static final String NAMESPACE = "apps";

  private ReplicaCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void startApiServer() {
    cluster = new ReplicaCluster(new MockApiServer.WithLeaseRights(), NAMESPACE);
    client = cluster.client();
  }

  @AfterEach
  void stopAll() {
    cluster.close();
  }

  @Test
  void onlyTheLeaseHolderReconcilesAndTheStandbyTakesOverWhenItStops() {
    PresignConfig config = config();
    LeaderElectionConfiguration production =
        new LeaderElectionProducer(
                config,
                new StopLeading(
                    client, Clock.systemUTC(), new Leadership(config, new SimpleMeterRegistry())))
            .configuration()
            .orElseThrow();
    assertThat(production.getLeaseName()).isEqualTo("presign-operator-lease");
    // A leader that loses the Lease exits through StopLeading's callback, not the SDK's exit,
    // which would also fire, and hang, when the operator shuts down.
    assertThat(production.isExitOnStopLeading()).isFalse();
    assertThat(production.getLeaderCallbacks()).isPresent();

    PrometheusMeterRegistry first = Replica.registry();
    Operator leader = start("replica-a", production, config, first);
    await().atMost(Duration.ofSeconds(10)).until(() -> "replica-a".equals(leaseHolder()));
    PrometheusMeterRegistry second = Replica.registry();
    Operator standby = start("replica-b", production, config, second);
    // What /q/health/ready reports (quarkus-operator-sdk's OperatorHealthCheck): a standby is
    // ready, so a rolling update is not held up by a new pod waiting for the Lease.
    assertThat(standby.getRuntimeInfo().isStarted()).isTrue();
    assertThat(standby.getRuntimeInfo().allEventSourcesAreHealthy()).isTrue();

    client.resource(MockApiServer.link(NAMESPACE, "report", "key: report.pdf\n")).create();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(Replica.linksObserved(first)).containsExactly("report"));
    assertThat(secretExists("report")).isTrue();
    // The standby stays idle while the leader holds the Lease.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> Replica.linksObserved(second).isEmpty());
    assertThat(leaseHolder()).isEqualTo("replica-a");

    leader.stop();
    client.resource(MockApiServer.link(NAMESPACE, "invoice", "key: invoice.pdf\n")).create();

    await().atMost(Duration.ofSeconds(20)).until(() -> secretExists("invoice"));
    assertThat(leaseHolder()).isEqualTo("replica-b");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(Replica.linksObserved(second))
                    .containsExactlyInAnyOrder("report", "invoice"));
    assertThat(Replica.linksObserved(first)).containsExactly("report");
  }

  private Operator start(
      String identity,
      LeaderElectionConfiguration production,
      PresignConfig config,
      PrometheusMeterRegistry registry) {
    return cluster.start(
        config,
        registry,
        o -> o.withLeaderElectionConfiguration(NonExitingLease.of(production, identity)));
  }

  /** The production configuration, with a short Lease so that the handover takes seconds. */
  private static PresignConfig config() {
    return Replica.config(
        Map.of(
            "presign.leader-election.enabled", "true",
            "presign.leader-election.lease-namespace", OPERATOR_NAMESPACE,
            "presign.leader-election.lease-duration", "3s",
            "presign.leader-election.renew-deadline", "2s",
            "presign.leader-election.retry-period", "500ms"));
  }

  private String leaseHolder() {
    Lease lease =
        client.leases().inNamespace(OPERATOR_NAMESPACE).withName("presign-operator-lease").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private boolean secretExists(String name) {
    return client.secrets().inNamespace(NAMESPACE).withName(name).get() != null;
  }
}

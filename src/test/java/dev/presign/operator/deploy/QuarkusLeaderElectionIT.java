package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.config.LeaderElectionProducer;
import dev.presign.operator.config.PresignConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The operator as the chart runs it with replicas > 1 (PRESIGN_LEADER_ELECTION_*): Quarkus hands
 * the SDK the Lease settings of {@link LeaderElectionProducer}, and the operator acts once it holds
 * the Lease. Leader election is on in the prod profile only, so this test turns it on for its own
 * profile; and the app's shutdown at the end must not exit the JVM ({@link NonExitingLease}).
 */
@QuarkusTest
@TestProfile(QuarkusLeaderElectionIT.LeaderElectionOn.class)
@WithKubernetesTestServer(crud = true, setup = MockApiServer.WithLeaseRights.class)
class QuarkusLeaderElectionIT {

  private static final String OPERATOR_NAMESPACE = "presign-system";
  private static final String NAMESPACE = "elected";

  public static class LeaderElectionOn implements QuarkusTestProfile {
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(ProductionLeaseWithoutExit.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
          "presign.leader-election.enabled", "true",
          "presign.leader-election.lease-namespace", OPERATOR_NAMESPACE);
    }
  }

  /** What LeaderElectionProducer produces, except that stopping the app does not exit the JVM. */
  @Alternative
  @Priority(1)
  @ApplicationScoped
  public static class ProductionLeaseWithoutExit {
    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(PresignConfig config) {
      return NonExitingLease.of(
          new LeaderElectionProducer(config).configuration().orElseThrow(), null);
    }
  }

  @KubernetesTestServer KubernetesServer server;

  @Test
  void operatorTakesTheConfiguredLeaseThenReconciles() {
    KubernetesClient client = MockApiServer.testClient(server);

    Lease lease =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    client
                        .leases()
                        .inNamespace(OPERATOR_NAMESPACE)
                        .withName("presign-operator-lease")
                        .get(),
                found -> found != null && found.getSpec().getHolderIdentity() != null);
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);

    client.resource(MockApiServer.keys(NAMESPACE)).create();
    client.resource(MockApiServer.link(NAMESPACE, "elected", "key: elected.pdf\n")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.secrets().inNamespace(NAMESPACE).withName("elected").get() != null);
  }
}

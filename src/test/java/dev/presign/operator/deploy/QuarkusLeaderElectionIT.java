package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.lifecycle.LeaderElectionProducer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator as the chart runs it with replicas > 1 (PRESIGN_LEADER_ELECTION_*): Quarkus hands
 * the SDK the Lease settings of {@link LeaderElectionProducer}, and the operator acts once it holds
 * the Lease. Leader election is on in the prod profile only, so this test turns it on for its own
 * profile. The app's shutdown at the end stops the leader: with the production callbacks, that
 * hands the Lease back and leaves the test JVM running ({@link
 * dev.presign.operator.lifecycle.StopLeading}).
 */
@QuarkusTest
@TestProfile(QuarkusLeaderElectionIT.LeaderElectionOn.class)
@WithKubernetesTestServer(crud = true, setup = MockApiServer.WithLeaseRights.class)
class QuarkusLeaderElectionIT {

  private static final String OPERATOR_NAMESPACE = "presign-system";
  private static final String NAMESPACE = "elected";

  public static class LeaderElectionOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
          "presign.leader-election.enabled", "true",
          "presign.leader-election.lease-namespace", OPERATOR_NAMESPACE);
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

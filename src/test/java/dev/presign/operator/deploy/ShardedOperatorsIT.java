package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.it.Links;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two operators with disjoint selectors (presign.selector) on one API server, as two Deployments of
 * the chart would run: each serves only the links its selector matches, and a link neither matches
 * is left alone. Each is a plain SDK Operator configured the way quarkus-operator-sdk configures
 * the production one (the reconciler's updateConfigurationFrom).
 */
class ShardedOperatorsIT {

  private static final String NAMESPACE = "apps";

  private ReplicaCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void startApiServer() {
    cluster = new ReplicaCluster(new MockApiServer(), NAMESPACE);
    client = cluster.client();
  }

  @AfterEach
  void stopAll() {
    cluster.close();
  }

  @Test
  void operatorsWithDisjointSelectorsEachServeOnlyTheirLinks() {
    PrometheusMeterRegistry first = start("presign.dev/shard=a");
    PrometheusMeterRegistry second = start("presign.dev/shard=b");

    create("report", "a");
    create("invoice", "b");
    create("unsharded", null);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(Replica.linksObserved(first)).containsExactly("report");
              assertThat(Replica.linksObserved(second)).containsExactly("invoice");
            });
    // A Secret carries its link's shard label: each operator caches only its share of Secrets.
    assertThat(shardOfSecret("report")).isEqualTo("a");
    assertThat(shardOfSecret("invoice")).isEqualTo("b");
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !secretExists("unsharded"));
    assertThat(Replica.linksObserved(first)).containsExactly("report");
    assertThat(Replica.linksObserved(second)).containsExactly("invoice");

    // A link moved to the other shard is taken over with its Secret, which its new operator did
    // not cache: the create finds it, and it is the link's own, so it is updated. (That the old
    // operator lets go is the API server's part: a watch with a selector reports an object that
    // leaves it as deleted, which the mock server does not.)
    new Links(client, NAMESPACE, null).label("invoice", "presign.dev/shard", "a");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(Replica.linksObserved(first))
                  .containsExactlyInAnyOrder("report", "invoice");
              assertThat(shardOfSecret("invoice")).isEqualTo("a");
            });
  }

  private PrometheusMeterRegistry start(String selector) {
    PrometheusMeterRegistry registry = Replica.registry();
    cluster.start(Replica.config(Map.of("presign.selector", selector)), registry, o -> {});
    return registry;
  }

  private void create(String name, String shard) {
    PresignedObjectLink link = MockApiServer.link(NAMESPACE, name, "key: " + name + ".pdf\n");
    if (shard != null) {
      link.getMetadata().setLabels(Map.of("presign.dev/shard", shard));
    }
    client.resource(link).create();
  }

  private String shardOfSecret(String name) {
    var secret = client.secrets().inNamespace(NAMESPACE).withName(name).get();
    return secret == null ? null : secret.getMetadata().getLabels().get("presign.dev/shard");
  }

  private boolean secretExists(String name) {
    return client.secrets().inNamespace(NAMESPACE).withName(name).get() != null;
  }
}

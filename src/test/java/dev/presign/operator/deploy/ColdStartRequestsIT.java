package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a cold start costs per link, counted, not timed: the informers' lists and watches, then one
 * Secret create and one status patch per link, and no read of a single object per link (the Secrets
 * not yet written are not looked up one by one). A restart with every link Ready costs the lists
 * and watches alone. The SDK's meters are not kept per link either: MetricsIT.
 */
class ColdStartRequestsIT {

  private static final String NAMESPACE = "apps";
  private static final int LINKS = 20;

  private ReplicaCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void startApiServerWithLinks() {
    cluster = new ReplicaCluster(new MockApiServer(), NAMESPACE);
    client = cluster.client();
    IntStream.range(0, LINKS)
        .forEach(
            i ->
                client
                    .resource(MockApiServer.link(NAMESPACE, "link-" + i, "key: " + i + ".pdf\n"))
                    .create());
  }

  @AfterEach
  void stopAll() {
    cluster.close();
  }

  @Test
  void aColdStartReadsNoObjectPerLinkAndARestartWritesNothing() {
    requests();
    Operator operator = start(Replica.registry());
    await().atMost(Duration.ofSeconds(30)).until(() -> readyLinks() == LINKS);

    Map<String, Integer> coldStart = requests();
    assertThat(coldStart)
        .containsEntry("create secrets", LINKS)
        .containsEntry("patch presignedobjectlinks/status", LINKS)
        .containsEntry("list presignedobjectlinks", 1)
        .containsEntry("list secrets", 1);
    // The only object read by name is the static keys all links sign with (spec.credentials.
    // secretRef), read when a URL is signed; links signed with the operator's identity read none.
    assertThat(coldStart).containsEntry("get secrets/s3-keys", LINKS);
    assertThat(coldStart.keySet())
        .filteredOn(request -> request.startsWith("get "))
        .containsExactly("get secrets/s3-keys");

    operator.stop();
    PrometheusMeterRegistry restarted = Replica.registry();
    start(restarted);
    // Every link is reconciled again, with nothing due (R4): lists and watches only.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> Replica.linksObserved(restarted).size() == LINKS);
    assertThat(requests().keySet()).allMatch(request -> request.matches("(list|watch) .*"));
  }

  private Operator start(PrometheusMeterRegistry registry) {
    return cluster.start(Replica.config(Map.of()), registry, o -> {});
  }

  private long readyLinks() {
    return client
        .resources(PresignedObjectLink.class)
        .inNamespace(NAMESPACE)
        .list()
        .getItems()
        .stream()
        .filter(link -> link.getStatus() != null && link.getStatus().getUrlDigest() != null)
        .count();
  }

  /**
   * The operator's requests since the last call, by verb and resource; a read of one object names
   * it ("get secrets/s3-keys"). Events are left out: they are sent in the background.
   */
  private Map<String, Integer> requests() {
    Map<String, Integer> counts = new TreeMap<>();
    try {
      RecordedRequest request;
      while ((request =
              cluster.server().getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS))
          != null) {
        if (MockApiServer.TEST_USER_AGENT.equals(request.getHeader("User-Agent"))) {
          continue;
        }
        var permission = OperatorRequests.permission(request);
        if (permission.resource().equals("events")) {
          continue;
        }
        String path = request.getPath().replaceFirst("\\?.*", "");
        String key =
            permission.verb().equals("get")
                ? "get " + permission.resource() + "/" + path.substring(path.lastIndexOf('/') + 1)
                : permission.verb() + " " + permission.resource();
        counts.merge(key, 1, Integer::sum);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return counts;
  }
}

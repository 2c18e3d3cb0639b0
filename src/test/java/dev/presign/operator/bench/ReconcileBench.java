package dev.presign.operator.bench;

import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.InstallCrd;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The operator with many links: how long until all are Ready, how many API writes each costs, and
 * the heap it holds. Prints figures; asserts only that the links became Ready. Run: {@code ./mvnw
 * -Pbench test} ({@code -Dbench.reconcile.links=n} to change the count).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstallCrd.class)
@WithTestResource(S3ProxyResource.class)
class ReconcileBench {

  private static final int LINKS = Integer.getInteger("bench.reconcile.links", 1_000);

  @KubernetesTestServer KubernetesServer server;
  @Inject KubernetesClient client;

  @Test
  void manyLinks() throws InterruptedException {
    S3ProxyResource.server().createBucket("bench");
    S3ProxyResource.server().putObject("bench", "a.txt", new byte[] {1});
    Links links = new Links(client, "bench", S3ProxyResource.server().endpoint());
    long heapBefore = usedHeapAfterGc();
    drainRequests();

    long start = System.nanoTime();
    for (int i = 0; i < LINKS; i++) {
      links.create("link-" + i, "bench", "a.txt", spec -> {});
    }
    long created = System.nanoTime();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> linksWhoseStatus(status -> status.getUrlDigest() != null) == LINKS);
    long ready = System.nanoTime();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                linksWhoseStatus(
                        status ->
                            status.getConditions().stream()
                                .anyMatch(
                                    c ->
                                        "Verified".equals(c.getType())
                                            && "True".equals(c.getStatus())))
                    == LINKS);
    long verified = System.nanoTime();
    Http.Response sample = Http.get(links.url("link-" + (LINKS - 1)));
    Map<String, Integer> writes = drainRequests();
    long heapAfter = usedHeapAfterGc();

    System.out.printf(
        "BENCH reconcile: %d links created in %.1f s, all Ready %.1f s after the first;"
            + " %.1f links/s%n",
        LINKS, (created - start) / 1e9, (ready - start) / 1e9, LINKS / ((ready - start) / 1e9));
    System.out.printf("BENCH reconcile: operator writes per link by kind: %s%n", perLink(writes));
    System.out.printf(
        "BENCH reconcile: heap held after GC grew by %.1f MiB for %d links (%.1f KiB/link)"
            + " (test JVM: includes the client-side copies of the test)%n",
        (heapAfter - heapBefore) / 1048576.0, LINKS, (heapAfter - heapBefore) / 1024.0 / LINKS);
    System.out.printf("BENCH reconcile: sample URL answered %d%n", sample.status());
    System.out.printf(
        "BENCH verify: all %d URLs Verified=True %.1f s after the first was created, %.1f s after"
            + " all were Ready (one ranged GET each)%n",
        LINKS, (verified - start) / 1e9, (verified - ready) / 1e9);
  }

  private long linksWhoseStatus(Predicate<PresignedObjectLinkStatus> holds) {
    return client
        .resources(PresignedObjectLink.class)
        .inNamespace("bench")
        .list()
        .getItems()
        .stream()
        .filter(link -> link.getStatus() != null && holds.test(link.getStatus()))
        .count();
  }

  private static Map<String, String> perLink(Map<String, Integer> writes) {
    Map<String, String> perLink = new HashMap<>();
    writes.forEach(
        (kind, count) -> perLink.put(kind, String.format("%.2f", count / (double) LINKS)));
    return perLink;
  }

  /** Counts the write requests since the last call, by "METHOD resource", excluding the test's. */
  private Map<String, Integer> drainRequests() throws InterruptedException {
    Map<String, Integer> writes = new HashMap<>();
    RecordedRequest request;
    while ((request = server.getKubernetesMockServer().takeRequest(100, TimeUnit.MILLISECONDS))
        != null) {
      String path = request.getPath().replaceFirst("\\?.*", "");
      boolean testCreatesLink =
          request.getMethod().equals("POST") && path.endsWith("/presignedobjectlinks");
      if (!request.getMethod().equals("GET") && !testCreatesLink) {
        String resource = path.replaceAll("/namespaces/[^/]+", "").replaceAll("/link-\\d+", "/*");
        writes.merge(request.getMethod() + " " + resource, 1, Integer::sum);
      }
    }
    return writes;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}

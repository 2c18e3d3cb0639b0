package dev.presign.operator.verification;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.report.LinkEvents;
import dev.presign.operator.report.LinkMetrics;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.signing.UrlRedaction;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a reconcile waits for the verification of the URL it wrote (R11): for its outcome whatever
 * the queue ahead of it, so that one status write carries Ready and Verified, as long as S3 answers
 * within the status wait; not after a wait has run out, until an outcome comes in time.
 */
class VerificationsTest {

  private static final Duration STATUS_WAIT = Duration.ofSeconds(1);
  private static final Duration S3_ROUND_TRIP = Duration.ofMillis(300);

  private final List<AutoCloseable> closing = new ArrayList<>();
  private KubernetesClient client;

  @BeforeEach
  void client() {
    // Events of failed verifications go nowhere: no API server listens there.
    client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
            .build();
    closing.add(client);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : closing) {
      closeable.close();
    }
  }

  @Test
  void aReconcileGetsTheOutcomeOfAVerificationQueuedBehindOthers() throws IOException {
    String s3 = s3AnsweringAfter(Duration.ofMillis(50));
    // One verification at a time: the fifth link's waits behind four others (about 250 ms).
    Verifications verifications = verifications(1);
    List<PresignedObjectLink> links = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      PresignedObjectLink link = link("queued-" + i);
      verifications.ensure(link, s3 + "/b/queued-" + i, issued(s3 + "/b/queued-" + i));
      links.add(link);
    }

    PresignedObjectLink last = links.get(4);
    assertThat(verified(verifications, last, s3 + "/b/queued-4"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
  }

  @Test
  void afterAWaitRunsOutReconcilesStopWaitingUntilAnOutcomeComesInTime() throws IOException {
    String silent = silentS3();
    String s3 = s3AnsweringAfter(S3_ROUND_TRIP);
    Verifications verifications = verifications(4);

    // S3 does not answer: the reconcile waits the status wait out and writes Verifying.
    PresignedObjectLink first = link("silent");
    verifications.ensure(first, silent + "/b/a", issued(silent + "/b/a"));
    assertThat(verified(verifications, first, silent + "/b/a"))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("Verifying"));

    // The next one does not wait, though its answer comes within the status wait.
    PresignedObjectLink second = link("not-waited-for");
    verifications.ensure(second, s3 + "/b/second", issued(s3 + "/b/second"));
    assertThat(verified(verifications, second, s3 + "/b/second"))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("Verifying"));

    // Its outcome came within the status wait of its hand-over: reconciles wait again.
    awaitOutcome(verifications, second, s3 + "/b/second");
    PresignedObjectLink third = link("waited-for-again");
    verifications.ensure(third, s3 + "/b/third", issued(s3 + "/b/third"));
    assertThat(verified(verifications, third, s3 + "/b/third"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
  }

  private Verifications verifications(int concurrency) {
    PresignConfig config =
        new SmallRyeConfigBuilder()
            .withConverter(Duration.class, 200, new DurationConverter())
            .withMapping(PresignConfig.class)
            .withDefaultValues(
                Map.of(
                    "presign.verify.concurrency",
                    Integer.toString(concurrency),
                    "presign.verify.status-wait",
                    STATUS_WAIT.toMillis() + "ms",
                    "presign.verify.timeout",
                    "10s"))
            .build()
            .getConfigMapping(PresignConfig.class);
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Verifications verifications =
        new Verifications(
            config,
            new LinkEvents(client, clock),
            new LinkMetrics(registry, registry, clock),
            clock);
    closing.add(0, verifications::close);
    return verifications;
  }

  /** The Verified condition the reconcile of a link whose Secret holds {@code url} writes. */
  private static Optional<Condition> verified(
      Verifications verifications, PresignedObjectLink link, String url) {
    PresignedObjectLinkStatus status =
        verifications.withVerified(
            link, new PresignedObjectLinkStatus(), Optional.of(issued(url)), Instant.now());
    return status.getConditions().stream().filter(c -> "Verified".equals(c.getType())).findFirst();
  }

  private static void awaitOutcome(
      Verifications verifications, PresignedObjectLink link, String url) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                verified(verifications, link, url)
                    .filter(c -> !"Verifying".equals(c.getReason()))
                    .isPresent());
  }

  private static PresignedObjectLink link(String name) {
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("verifications")
            .withName(name)
            .withUid(UUID.randomUUID().toString())
            .withGeneration(1L)
            .build());
    PresignedObjectLinkSpec spec = new PresignedObjectLinkSpec();
    spec.setBucket("b");
    spec.setKey(name);
    link.setSpec(spec);
    return link;
  }

  private static IssuedUrl issued(String url) {
    Instant now = Instant.now();
    return new IssuedUrl(
        1,
        now,
        now.plusSeconds(3600),
        now.plusSeconds(2400),
        Optional.empty(),
        1,
        UrlRedaction.digest(url),
        true,
        Optional.empty());
  }

  /** An S3 that answers each ranged GET with its first byte, after {@code delay}. */
  private String s3AnsweringAfter(Duration delay) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          try {
            Thread.sleep(delay.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.getResponseHeaders().add("Content-Range", "bytes 0-0/1");
          exchange.sendResponseHeaders(206, 1);
          exchange.getResponseBody().write('x');
          exchange.close();
        });
    server.start();
    closing.add(() -> server.stop(0));
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** An endpoint that accepts connections and never answers. */
  private String silentS3() throws IOException {
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    closing.add(socket);
    return "http://127.0.0.1:" + socket.getLocalPort();
  }
}

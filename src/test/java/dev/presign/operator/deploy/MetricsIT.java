package dev.presign.operator.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.it.FreePort;
import dev.presign.operator.it.RangeStandIn;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes at /q/metrics once a link has been issued (DESIGN §5). */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = MockApiServer.class)
class MetricsIT {

  private static final String NAMESPACE = "metrics";

  @KubernetesTestServer KubernetesServer server;

  @Test
  void scrapeShowsTheLinksExpiryAndRenewalRotationsAndSigningTime() {
    KubernetesClient client = MockApiServer.testClient(server);
    client.resource(MockApiServer.keys(NAMESPACE)).create();
    client
        .resource(MockApiServer.link(NAMESPACE, "weekly", "key: weekly.pdf\nexpiresIn: 2h\n"))
        .create();

    PresignedObjectLink issued =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    client
                        .resources(PresignedObjectLink.class)
                        .inNamespace(NAMESPACE)
                        .withName("weekly")
                        .get(),
                link -> link.getStatus() != null && link.getStatus().getExpiresAt() != null);

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    String link = "{name=\"weekly\",namespace=\"" + NAMESPACE + "\"}";
    assertThat(sample(metrics, "presign_link_expiry_timestamp_seconds" + link))
        .isEqualTo(Instant.parse(issued.getStatus().getExpiresAt()).getEpochSecond());
    assertThat(sample(metrics, "presign_link_renewal_timestamp_seconds" + link))
        .isEqualTo(Instant.parse(issued.getStatus().getRenewalTime()).getEpochSecond());
    assertThat(sample(metrics, "presign_rotations_total{result=\"Issued\"}")).isPositive();
    assertThat(sample(metrics, "presign_signing_seconds_count")).isPositive();
    assertThat(metrics).contains("operator_sdk_reconciliations_started_total");
    // The URL is a bearer credential: never in a metric (R6).
    assertThat(metrics).doesNotContain("X-Amz-Signature").doesNotContain("weekly.pdf");
  }

  @Test
  void aDeletedLinksSeriesGoWithIt() {
    KubernetesClient client = MockApiServer.testClient(server);
    client.resource(MockApiServer.keys("deleted")).create();
    PresignedObjectLink link = MockApiServer.link("deleted", "gone", "key: gone.pdf\n");
    client.resource(link).create();
    String series = "presign_link_expiry_timestamp_seconds{name=\"gone\",namespace=\"deleted\"}";
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(scrape()).contains(series));

    client.resource(link).delete();

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(scrape()).doesNotContain("name=\"gone\""));
  }

  @Test
  void theSdksReconcileMetricsAreNotKeptPerLink() {
    KubernetesClient client = MockApiServer.testClient(server);
    client.resource(MockApiServer.keys("aggregate")).create();
    client.resource(MockApiServer.link("aggregate", "counted", "key: c.pdf\n")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(scrape()).contains("name=\"counted\""));

    assertThat(scrape().lines().filter(line -> line.startsWith("operator_sdk_")))
        .isNotEmpty()
        .noneMatch(line -> line.contains("counted") || line.contains("aggregate"));
  }

  /**
   * The shipped dashboard asks only for series the operator serves, once a link has been issued and
   * verified and another has failed verification.
   */
  @Test
  void theDashboardReadsOnlyMetricsTheOperatorServes() throws Exception {
    KubernetesClient client = MockApiServer.testClient(server);
    client.resource(MockApiServer.keys("dashboard")).create();
    // Without its keys Secret: a failed reconcile, which the SDK's failure counter then shows.
    client.resource(MockApiServer.link("dashboard-failing", "keyless", "key: k.pdf\n")).create();
    try (RangeStandIn s3 = new RangeStandIn()) {
      client.resource(verifiedLink("dashboard", "found", s3.endpoint().toString())).create();
      client
          .resource(verifiedLink("dashboard", "lost", "http://127.0.0.1:" + FreePort.onLoopback()))
          .create();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(scrape())
                      .contains("presign_link_verified{name=\"found\",namespace=\"dashboard\"} 1.0")
                      .contains("presign_link_verified{name=\"lost\",namespace=\"dashboard\"} 0.0")
                      .contains("presign_link_ready{name=\"found\",namespace=\"dashboard\"} 1.0")
                      .contains("presign_verification_failures_total{code=\"Unreachable\"}")
                      .contains("presign_operator_leader 1.0")
                      .contains("operator_sdk_reconciliations_failed_total"));
    }
    Set<String> served =
        scrape()
            .lines()
            .filter(line -> !line.startsWith("#"))
            .map(line -> line.replaceFirst("[{ ].*", ""))
            .collect(Collectors.toSet());

    Set<String> read = new TreeSet<>();
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(Manifests.read(Manifests.CHART.resolve("dashboards/presign-operator.json")));
    dashboard
        .findValues("expr")
        .forEach(
            expr -> {
              Matcher metric = METRIC.matcher(expr.asText());
              while (metric.find()) {
                read.add(metric.group());
              }
            });
    assertThat(read)
        .contains("presign_link_verified", "operator_sdk_reconciliations_started_total");
    assertThat(served).containsAll(read);
  }

  private static final Pattern METRIC = Pattern.compile("\\b(presign|operator_sdk)_[a-z_]+\\b");

  private static PresignedObjectLink verifiedLink(String namespace, String name, String endpoint) {
    PresignedObjectLink link = MockApiServer.link(namespace, name, "key: " + name + ".pdf\n");
    link.getSpec().setVerify(true);
    link.getSpec().setEndpoint(endpoint);
    link.getSpec().setForcePathStyle(true);
    return link;
  }

  private static String scrape() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  private static double sample(String metrics, String series) {
    Matcher value =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(metrics);
    assertThat(value.find()).as(series + " in\n" + metrics).isTrue();
    return Double.parseDouble(value.group(1));
  }
}

package dev.presign.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.RestartTarget;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator as the Helm chart installs it with {@code watchNamespaces}: its ServiceAccount bound
 * by a Role in each watched namespace, no ClusterRole, and the watched namespaces the chart's
 * Deployment passes (QUARKUS_OPERATOR_SDK_NAMESPACES). On a real API server, links of the watched
 * namespaces are issued, rotated and restart their workloads; a link elsewhere is left alone.
 */
@QuarkusTest
@TestProfile(ChartWatchNamespacesIT.AsTheChartConfiguresIt.class)
@WithTestResource(
    value = RealApiServerResource.class,
    initArgs = {
      @ResourceArg(
          name = RealApiServerResource.SETUP,
          value = "dev.presign.operator.realapi.ChartWatchNamespacesRbac"),
      @ResourceArg(
          name = RealApiServerResource.OPERATOR_SERVICE_ACCOUNT,
          value = ChartWatchNamespacesRbac.OPERATOR)
    })
@WithTestResource(S3ProxyResource.class)
class ChartWatchNamespacesIT {

  private static final byte[] REPORT = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);

  /** The namespaces of the chart's Deployment. */
  public static class AsTheChartConfiguresIt implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.operator-sdk.namespaces", ChartWatchNamespacesRbac.watchedNamespacesSetting());
    }
  }

  @Test
  void linksOfTheWatchedNamespacesAreIssuedRotatedAndRestartTheirWorkloads() {
    RealApiServer api = RealApiServerResource.server();
    S3ProxyServer s3 = S3ProxyResource.server();
    s3.createBucket("watched");
    s3.putObject("watched", "report.csv", REPORT);
    for (String namespace : ChartWatchNamespacesRbac.WATCHED) {
      api.client().resource(Workloads.deployment(namespace, "mailer", "report")).create();
      Links links = new Links(api.client(), namespace, s3.endpoint());
      links.create(
          "report",
          "watched",
          "report.csv",
          spec -> {
            RestartTarget mailer = new RestartTarget();
            mailer.setKind(RestartTarget.Kind.Deployment);
            mailer.setName("mailer");
            spec.setRestartTargets(List.of(mailer));
          });
      String first = links.awaitUrl("report");
      assertThat(Http.get(first).body()).isEqualTo(REPORT);

      links.annotate("report", "presign.dev/rotate-requested-at", "chart-1");
      assertThat(Http.get(links.awaitNextUrl("report", first, Duration.ofSeconds(30))).body())
          .isEqualTo(REPORT);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Workloads.restartedAt(api.client(), namespace, "mailer").isPresent());
    }

    api.createNamespace("not-watched");
    Links elsewhere = new Links(api.client(), "not-watched", s3.endpoint());
    elsewhere.create("report", "watched", "report.csv", spec -> {});
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> elsewhere.get("report").getStatus() == null);
  }
}

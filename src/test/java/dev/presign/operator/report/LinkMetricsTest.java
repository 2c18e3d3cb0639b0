package dev.presign.operator.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.rotation.IssuedUrl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** presign_rotation_overdue_seconds: how late the most overdue rotation is, read at scrape time. */
class LinkMetricsTest {

  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final LinkMetrics metrics =
      new LinkMetrics(registry, registry, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void noLinkDueMeansNothingOverdue() {
    metrics.observe(new ResourceID("a", "team"), renewingAt(NOW.plusSeconds(60)));

    assertThat(registry.scrape()).contains("presign_rotation_overdue_seconds 0.0");
  }

  @Test
  void theEarliestRenewalTimeThatPassedSaysHowLateTheRotationsAre() {
    metrics.observe(new ResourceID("late", "team"), renewingAt(NOW.minusSeconds(30)));
    metrics.observe(new ResourceID("later", "team"), renewingAt(NOW.minusSeconds(90)));
    metrics.observe(new ResourceID("ahead", "team"), renewingAt(NOW.plusSeconds(600)));

    assertThat(registry.scrape()).contains("presign_rotation_overdue_seconds 90.0");

    metrics.forget(new ResourceID("later", "team"));
    assertThat(registry.scrape()).contains("presign_rotation_overdue_seconds 30.0");
  }

  private static IssuedUrl renewingAt(Instant renewal) {
    return new IssuedUrl(
        1,
        renewal.minus(Duration.ofHours(1)),
        renewal.plus(Duration.ofMinutes(20)),
        renewal,
        Optional.empty(),
        1,
        "sha256:0",
        true,
        Optional.empty());
  }
}

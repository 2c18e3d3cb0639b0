package dev.presign.operator.report;

import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.rotation.IssuedUrl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Prometheus metrics of DESIGN §5. Labels name links, never URLs (R6).
 *
 * <ul>
 *   <li>presign_link_expiry_timestamp_seconds{namespace,name}
 *   <li>presign_link_renewal_timestamp_seconds{namespace,name}
 *   <li>presign_link_ready{namespace,name}: 1 while the Ready condition is True
 *   <li>presign_link_verified{namespace,name}: 1 when the current URL read its object (R11)
 *   <li>presign_rotation_overdue_seconds: how long the oldest rotation still to be done is overdue
 *   <li>presign_rotations_total{result}
 *   <li>presign_verification_failures_total{code}
 *   <li>presign_signing_seconds
 * </ul>
 *
 * <p>The per-link gauges are one Prometheus collector over a map of four numbers per link, read at
 * scrape time: as four Micrometer gauges (meters, ids, tags, and the entries of the composite and
 * the Prometheus registry) a link cost 4 KiB of heap, 40 of the 143 MiB live at 10,000 links.
 */
@ApplicationScoped
public class LinkMetrics {

  /** The per-link gauges, in the order of their values in a link's series. */
  private enum LinkGauge {
    EXPIRY(
        "presign_link_expiry_timestamp_seconds", "When the link's current URL expires (Unix time)"),
    RENEWAL(
        "presign_link_renewal_timestamp_seconds",
        "When the link's URL is next rotated (Unix time)"),
    READY("presign_link_ready", "1 while the link's Ready condition is True, else 0"),
    VERIFIED(
        "presign_link_verified",
        "1 when the link's current URL read its object, 0 when it did not");

    private final String metricName;
    private final String help;

    LinkGauge(String metricName, String help) {
      this.metricName = metricName;
      this.help = help;
    }
  }

  private static final List<String> LABELS = List.of("name", "namespace");
  private static final long ABSENT = Double.doubleToRawLongBits(Double.NaN);

  private final MeterRegistry registry;
  private final Timer signing;
  private final Clock clock;

  /** A link's gauge values by LinkGauge ordinal, as raw double bits; NaN: no series. */
  private final Map<ResourceID, AtomicLongArray> links = new ConcurrentHashMap<>();

  /**
   * @param prometheus the registry /q/metrics serves, which the per-link gauges join as a collector
   */
  public LinkMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.signing =
        Timer.builder("presign.signing")
            .description("Time to sign one presigned URL (local, no network)")
            .register(registry);
    new LinkGauges().register(prometheus.getPrometheusRegistry());
  }

  public <T> T timeSigning(Supplier<T> sign) {
    return signing.record(sign);
  }

  /** Counts a rotation attempt by its result: Issued, Rotated, or a failure reason. */
  public void rotation(String result) {
    registry.counter("presign.rotations", Tags.of("result", result)).increment();
  }

  public void observe(ResourceID link, IssuedUrl issued) {
    set(link, LinkGauge.EXPIRY, issued.expiresAt().getEpochSecond());
    set(link, LinkGauge.RENEWAL, issued.renewalTime().getEpochSecond());
  }

  /** The Ready condition of the status the link has (or is about to get). */
  public void ready(ResourceID link, PresignedObjectLinkStatus status) {
    boolean ready =
        status.getConditions().stream()
            .anyMatch(c -> LinkStatus.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    set(link, LinkGauge.READY, ready ? 1 : 0);
  }

  /** Counts a verification that failed, under its (bounded) code. */
  public void verificationFailed(String code) {
    registry.counter("presign.verification.failures", Tags.of("code", code)).increment();
  }

  /** Whether the link's current URL read its object (a verification's outcome). */
  public void verified(ResourceID link, boolean verified) {
    set(link, LinkGauge.VERIFIED, verified ? 1 : 0);
  }

  /** The link's URL is not verified (PUT, or verification turned off): no series. */
  public void notVerified(ResourceID link) {
    AtomicLongArray values = links.get(link);
    if (values != null) {
      values.set(LinkGauge.VERIFIED.ordinal(), ABSENT);
    }
  }

  /** Drops the series of a deleted link (SdkMetrics hears of deletions from the SDK). */
  public void forget(ResourceID link) {
    links.remove(link);
  }

  private void set(ResourceID link, LinkGauge gauge, double value) {
    links
        .computeIfAbsent(link, id -> absent())
        .set(gauge.ordinal(), Double.doubleToRawLongBits(value));
  }

  private static AtomicLongArray absent() {
    AtomicLongArray values = new AtomicLongArray(LinkGauge.values().length);
    for (int i = 0; i < values.length(); i++) {
      values.set(i, ABSENT);
    }
    return values;
  }

  /**
   * Seconds since the earliest renewal time that passed without a new URL (a rotation rescheduled
   * to the second runs up to a second after it); whole-map, at scrape time only.
   */
  private double overdueSeconds() {
    double now = clock.millis() / 1000.0;
    double earliest = now;
    for (AtomicLongArray values : links.values()) {
      double renewal = Double.longBitsToDouble(values.get(LinkGauge.RENEWAL.ordinal()));
      if (renewal < earliest) {
        earliest = renewal;
      }
    }
    return now - earliest;
  }

  /** The per-link gauges as the registry's scrape reads them. */
  private final class LinkGauges extends Collector {
    @Override
    public List<MetricFamilySamples> collect() {
      List<MetricFamilySamples> families = new ArrayList<>();
      for (LinkGauge gauge : LinkGauge.values()) {
        GaugeMetricFamily family = new GaugeMetricFamily(gauge.metricName, gauge.help, LABELS);
        links.forEach(
            (link, values) -> {
              double value = Double.longBitsToDouble(values.get(gauge.ordinal()));
              if (!Double.isNaN(value)) {
                family.addMetric(List.of(link.getName(), link.getNamespace().orElse("")), value);
              }
            });
        families.add(family);
      }
      families.add(
          new GaugeMetricFamily(
              "presign_rotation_overdue_seconds",
              "How long the renewal time of the most overdue link has passed, 0 when none has",
              overdueSeconds()));
      return families;
    }
  }
}

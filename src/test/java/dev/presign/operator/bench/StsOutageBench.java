package dev.presign.operator.bench;

import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.it.InstallCrd;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.OperatorIrsaResource;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.StsStandIn;
import dev.presign.operator.it.StsStandInResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's IRSA identity through STS outages, in compressed time: the STS stand-in grants
 * sessions of {@code bench.sts.session} (90 s), so a refresh is due every 27 s, and links last a
 * minute and renew 20 s before. Prints the STS calls per session period, the rotation lag (issued
 * at of the new URL minus the planned renewal time) outside faults, and what links saw during an
 * outage of one refresh period (STS hangs) and of two (STS answers 503): links not Ready, and links
 * whose Secret held an expired URL. Asserts nothing. Run: {@code ./mvnw -Pbench verify
 * -Dtest=StsOutageBench -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=NONE} ({@code
 * -Dbench.sts.links=n}).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstallCrd.class)
@WithTestResource(
    value = S3ProxyResource.class,
    initArgs = @ResourceArg(name = S3ProxyResource.OPERATOR_KEYS, value = "false"))
@WithTestResource(StsStandInResource.class)
@WithTestResource(OperatorIrsaResource.class)
class StsOutageBench {

  private static final int LINKS = Integer.getInteger("bench.sts.links", 1_000);
  private static final Duration SESSION =
      Duration.ofSeconds(Integer.getInteger("bench.sts.session", 90));
  private static final Duration REFRESH_PERIOD = SESSION.multipliedBy(3).dividedBy(10);
  private static final String NAMESPACE = "bench-sts";

  @Inject KubernetesClient client;

  /** One rotation as the Secret showed it: when the new URL came, against when it was due. */
  private record Rotation(Instant issuedAt, Duration lag) {}

  /** What links saw in one second of the run. */
  private record Sample(Instant at, int notReady, int expiredInSecret) {}

  private final List<Rotation> rotations = new CopyOnWriteArrayList<>();
  private final List<Sample> samples = new CopyOnWriteArrayList<>();

  @Test
  void linksThroughStsOutagesOfOneAndTwoRefreshPeriods() {
    StsStandIn sts = StsStandInResource.sts();
    sts.limitSessionsTo(SESSION);
    S3ProxyResource.server().createBucket("bench-sts");
    S3ProxyResource.server().putObject("bench-sts", "o", new byte[] {1});
    Links links = new Links(client, NAMESPACE, S3ProxyResource.server().endpoint());
    for (int i = 0; i < LINKS; i++) {
      links.create(
          "link-" + i,
          "bench-sts",
          "o",
          spec -> {
            spec.setExpiresIn("1m");
            spec.setRenewBefore("20s");
            spec.setVerify(false);
          });
    }
    SharedIndexInformer<Secret> secrets = watchRotations();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> secrets.getStore().list().size() == LINKS);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> sample(secrets), 0, 1, TimeUnit.SECONDS);

    Instant healthyFrom = Instant.now();
    int callsBefore = operatorCalls(sts);
    pause(SESSION.multipliedBy(2));
    Instant healthyTo = Instant.now();
    int healthyCalls = operatorCalls(sts) - callsBefore;

    sts.hangEveryCall();
    Instant hangFrom = Instant.now();
    pause(REFRESH_PERIOD);
    sts.answer();
    Instant hangTo = Instant.now();
    pause(SESSION);

    sts.failEveryCall();
    Instant failFrom = Instant.now();
    pause(REFRESH_PERIOD.multipliedBy(2));
    sts.answer();
    Instant failTo = Instant.now();
    Instant allBack =
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> samples.isEmpty() ? null : samples.get(samples.size() - 1),
                last -> last != null && last.at().isAfter(failTo) && last.notReady() == 0)
            .at();
    sampler.shutdownNow();
    secrets.stop();

    List<Duration> lags =
        rotations.stream()
            .filter(r -> r.issuedAt().isAfter(healthyFrom) && r.issuedAt().isBefore(healthyTo))
            .map(Rotation::lag)
            .sorted()
            .toList();
    double periods =
        Duration.between(healthyFrom, healthyTo).toMillis() / (double) SESSION.toMillis();
    System.out.printf(
        "BENCH sts: %d links on one identity, sessions of %d s (a refresh due every %d s)%n",
        LINKS, SESSION.toSeconds(), REFRESH_PERIOD.toSeconds());
    System.out.printf(
        "BENCH sts: outside faults %d STS calls in %.1f session periods (%.2f per period; with 1 h"
            + " sessions that is %.1f calls per hour per identity); %d rotations, lag p50 %d ms,"
            + " p99 %d ms, max %d ms%n",
        healthyCalls,
        periods,
        healthyCalls / periods,
        healthyCalls / periods,
        lags.size(),
        percentile(lags, 50),
        percentile(lags, 99),
        percentile(lags, 100));
    report("hang of one refresh period", hangFrom, hangTo, hangTo.plus(SESSION));
    report("503s for two refresh periods", failFrom, failTo, allBack);
    System.out.printf(
        "BENCH sts: after the 503s, all links Ready again %.1f s after STS answered%n",
        Duration.between(failTo, allBack).toMillis() / 1000.0);
  }

  private void report(String outage, Instant from, Instant to, Instant until) {
    List<Sample> during =
        samples.stream().filter(s -> !s.at().isBefore(from) && s.at().isBefore(until)).toList();
    System.out.printf(
        "BENCH sts: STS %s (%d s): at most %d links not Ready, at most %d Secrets holding an"
            + " expired URL (%d link-seconds), from its start to %d s after its end%n",
        outage,
        Duration.between(from, to).toSeconds(),
        during.stream().mapToInt(Sample::notReady).max().orElse(0),
        during.stream().mapToInt(Sample::expiredInSecret).max().orElse(0),
        during.stream().mapToInt(Sample::expiredInSecret).sum(),
        Duration.between(to, until).toSeconds());
  }

  /** Records each new URL's lag behind the renewal time its predecessor planned. */
  private SharedIndexInformer<Secret> watchRotations() {
    return client
        .secrets()
        .inNamespace(NAMESPACE)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Secret secret) {}

              @Override
              public void onUpdate(Secret before, Secret after) {
                String planned = annotation(before, "presign.dev/renewal-time");
                String issued = annotation(after, "presign.dev/issued-at");
                if (planned != null
                    && issued != null
                    && !issued.equals(annotation(before, "presign.dev/issued-at"))) {
                  Instant issuedAt = Instant.parse(issued);
                  rotations.add(
                      new Rotation(issuedAt, Duration.between(Instant.parse(planned), issuedAt)));
                }
              }

              @Override
              public void onDelete(Secret secret, boolean unknown) {}
            });
  }

  private void sample(SharedIndexInformer<Secret> secrets) {
    Instant now = Instant.now();
    int expired = 0;
    for (Secret secret : secrets.getStore().list()) {
      String expiresAt = secret.getData() == null ? null : secret.getData().get("expiresAt");
      if (expiresAt == null
          || !Instant.parse(
                  new String(Base64.getDecoder().decode(expiresAt), StandardCharsets.UTF_8))
              .isAfter(now)) {
        expired++;
      }
    }
    int notReady =
        (int)
            client
                .resources(PresignedObjectLink.class)
                .inNamespace(NAMESPACE)
                .list()
                .getItems()
                .stream()
                .filter(
                    link ->
                        link.getStatus() == null
                            || link.getStatus().getConditions().stream()
                                .noneMatch(
                                    c ->
                                        "Ready".equals(c.getType())
                                            && "True".equals(c.getStatus())))
                .count();
    samples.add(new Sample(now, notReady, expired));
  }

  private static String annotation(Secret secret, String key) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static long percentile(List<Duration> sorted, int percent) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * percent / 100.0) - 1);
    return sorted.get(Math.max(0, index)).toMillis();
  }

  private static int operatorCalls(StsStandIn sts) {
    return sts.callsFor(OperatorIrsaResource.ROLE_ARN).size();
  }

  /** The bench's clock runs in real time: the operator's rotations are what it watches. */
  private static void pause(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    await()
        .atMost(duration.plusSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> System.nanoTime() >= until);
  }
}

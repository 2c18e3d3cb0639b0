package dev.presign.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The promise through an STS outage (DESIGN §4): many links on the operator's IRSA identity share
 * one session and one STS call per refresh; an STS that hangs for longer than a refresh period
 * costs no link its URL; one that fails long enough leaves links CredentialsUnavailable with their
 * URLs in place, and they recover within seconds of STS answering again. Sessions last a minute
 * here (the stand-in grants no more), so a refresh is due every 18 s.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstallCrd.class)
@WithTestResource(
    value = S3ProxyResource.class,
    initArgs = @ResourceArg(name = S3ProxyResource.OPERATOR_KEYS, value = "false"))
@WithTestResource(StsStandInResource.class)
@WithTestResource(OperatorIrsaResource.class)
class StsOutageIT {

  private static final String NAMESPACE = "team-outage";
  private static final int LINKS = 20;
  private static final byte[] OBJECT = "outage\n".getBytes(StandardCharsets.UTF_8);

  @Inject KubernetesClient client;

  @Test
  void linksKeepWorkingUrlsThroughAnStsOutageAndRecoverWithinSecondsOfItsEnd() {
    StsStandIn sts = StsStandInResource.sts();
    sts.limitSessionsTo(Duration.ofSeconds(60));
    S3ProxyResource.server().createBucket("outage");
    S3ProxyResource.server().putObject("outage", "o.txt", OBJECT);
    Links links = new Links(client, NAMESPACE, S3ProxyResource.server().endpoint());
    int callsBefore = operatorCalls(sts);

    List<String> names = IntStream.range(0, LINKS).mapToObj(i -> "link-" + i).toList();
    names.forEach(
        name ->
            links.create(
                name,
                "outage",
                "o.txt",
                spec -> {
                  spec.setExpiresIn("1m");
                  spec.setRenewBefore("10s");
                }));
    names.forEach(links::awaitUrl);
    assertThat(operatorCalls(sts) - callsBefore)
        .as("links created together share the first session")
        .isEqualTo(1);

    // A hang longer than the 18 s refresh period: every link keeps a URL that works.
    sts.hangEveryCall();
    Instant hangStarted = Instant.now();
    await()
        .during(Duration.ofSeconds(25))
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> names.forEach(name -> assertWorkingUrl(links, name)));
    assertThat(operatorCalls(sts) - callsBefore)
        .as("one call at a time while STS hangs, each bounded by presign.sts.timeout")
        .isLessThan(2 + (int) Duration.between(hangStarted, Instant.now()).toSeconds());

    // STS fails on: once the session in hand ends too soon for renewBefore, links say so and
    // keep their URLs.
    sts.failEveryCall();
    Condition unavailable = links.awaitReason(names.get(0), "CredentialsUnavailable");
    assertThat(unavailable.getMessage())
        .contains("STS refused the role " + OperatorIrsaResource.ROLE_ARN)
        .contains("ServiceUnavailable");
    assertThat(links.currentUrl(names.get(0))).as("the URL stays in the Secret").isNotEmpty();

    // Recovered within seconds of STS answering, not after the links' backoff of minutes.
    sts.answer();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> names.forEach(name -> assertWorkingUrl(links, name)));
  }

  private static void assertWorkingUrl(Links links, String name) {
    assertThat(links.ready(name))
        .hasValueSatisfying(
            ready -> {
              assertThat(ready.getStatus()).as(name + ": " + ready.getMessage()).isEqualTo("True");
              assertThat(ready.getReason()).isIn("Issued", "Rotated");
            });
    Http.Response fetched = Http.get(links.currentUrl(name));
    assertThat(fetched.status()).as(name + " fetched").isEqualTo(200);
  }

  private static int operatorCalls(StsStandIn sts) {
    return sts.callsFor(OperatorIrsaResource.ROLE_ARN).size();
  }
}

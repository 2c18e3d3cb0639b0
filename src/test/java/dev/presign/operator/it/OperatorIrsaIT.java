package dev.presign.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
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
import org.junit.jupiter.api.Test;

/**
 * The operator's own identity through IRSA (R2): the real operator exchanges its projected token at
 * a loopback STS, signs with the session, caps the URL at the session's end and takes a fresh
 * session, with the token the kubelet rotated in, before the URL would die with the old one.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstallCrd.class)
@WithTestResource(
    value = S3ProxyResource.class,
    initArgs = @ResourceArg(name = S3ProxyResource.OPERATOR_KEYS, value = "false"))
@WithTestResource(StsStandInResource.class)
@WithTestResource(OperatorIrsaResource.class)
class OperatorIrsaIT {

  private static final byte[] REPORT = "shared report\n".getBytes(StandardCharsets.UTF_8);

  @Inject KubernetesClient client;

  @Test
  void urlSignedWithTheIrsaSessionIsCappedAtItAndRenewedWithAFreshSessionBeforeItEnds() {
    StsStandIn sts = StsStandInResource.sts();
    sts.limitSessionsTo(Duration.ofSeconds(30));
    S3ProxyResource.server().createBucket("irsa-reports");
    S3ProxyResource.server().putObject("irsa-reports", "q3.csv", REPORT);
    Links links = new Links(client, "team-irsa", S3ProxyResource.server().endpoint());

    links.create("report", "irsa-reports", "q3.csv", spec -> {});
    String first = links.awaitUrl("report");

    assertThat(Http.get(first).body()).isEqualTo(REPORT);
    assertThat(first).contains("X-Amz-Security-Token=session-");
    StsStandIn.Call call = operatorCalls().get(0);
    assertThat(WebIdentityTokens.subject(call.token()))
        .isEqualTo("system:serviceaccount:presign-system:presign-operator");
    assertThat(call.sessionName()).isEqualTo("presign-operator");
    assertThat(call.durationSeconds()).as("the link's 1h, within the 1h maximum").isEqualTo(3600);

    PresignedObjectLink link = links.get("report");
    Instant sessionEnd = Instant.parse(link.getStatus().getCredentialsExpireAt());
    assertThat(Instant.parse(link.getStatus().getExpiresAt())).isEqualTo(sessionEnd);
    // Events are sent in the background (LinkEvents).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("team-irsa").list().getItems())
                    .anySatisfy(
                        event -> {
                          assertThat(event.getReason()).isEqualTo("LifetimeCapped");
                          assertThat(event.getMessage()).contains("the operator's identity");
                        }));

    // The kubelet rotates the projected token; the next session must be asked with the new one.
    String rotatedToken = WebIdentityTokens.of("presign-system", "presign-operator") + "-rotated";
    OperatorIrsaResource.writeToken(rotatedToken);
    String second = links.awaitNextUrl("report", first, Duration.ofSeconds(40));
    assertThat(Instant.now()).as("renewed before the session ended").isBefore(sessionEnd);
    assertThat(Http.get(second).body()).isEqualTo(REPORT);
    assertThat(operatorCalls())
        .as("a fresh session, not the one about to end")
        .hasSizeGreaterThan(1)
        .last()
        .satisfies(fresh -> assertThat(fresh.token()).isEqualTo(rotatedToken));
    // The status follows the Secret by one patch (which waits for the URL's verification).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Instant.parse(links.get("report").getStatus().getCredentialsExpireAt()))
                    .isAfter(sessionEnd));
  }

  private static List<StsStandIn.Call> operatorCalls() {
    return StsStandInResource.sts().callsFor(OperatorIrsaResource.ROLE_ARN);
  }
}

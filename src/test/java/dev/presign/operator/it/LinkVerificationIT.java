package dev.presign.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.api.v1alpha1.SecretKeysReference;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * R11 against S3Proxy, which checks signatures as S3 does: each new GET URL is fetched once, its
 * outcome is the Verified condition (and a Warning event when it fails), and the URL is written
 * whatever the outcome, with Ready unchanged.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstallCrd.class)
@WithTestResource(S3ProxyResource.class)
@TestProfile(LinkVerificationIT.ShortTimeout.class)
class LinkVerificationIT {

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  public static class ShortTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("presign.verify.timeout", TIMEOUT.toSeconds() + "s");
    }
  }

  @Inject KubernetesClient client;

  private Links links(String namespace) {
    return new Links(client, namespace, S3ProxyResource.server().endpoint());
  }

  @Test
  void aLinkToAnObjectThatExistsIsVerified() {
    S3ProxyResource.server().createBucket("present");
    S3ProxyResource.server().putObject("present", "a.txt", bytes("report"));
    Links links = links("verify-ok");
    links.create("ok", "present", "a.txt", spec -> {});

    Condition verified = awaitVerified(links, "ok", "True");

    assertThat(verified.getReason()).isEqualTo("Verified");
    assertThat(Http.get(links.awaitUrl("ok")).status()).isEqualTo(200);
    assertThat(events("verify-ok")).noneMatch(e -> "VerificationFailed".equals(e.getReason()));
  }

  /**
   * S3's usual answer comes within presign.verify.status-wait (1s), so the status write that makes
   * a link Ready already says Verified: one status write per new URL, not two.
   */
  @Test
  void theStatusWriteThatMakesALinkReadyAlreadySaysVerified() {
    S3ProxyResource.server().createBucket("one-write");
    S3ProxyResource.server().putObject("one-write", "a.txt", bytes("report"));
    Links links = links("verify-one-write");
    // A first link warms S3Proxy and the operator's HTTP client, which a cold JVM makes slow.
    links.create("warm-up", "one-write", "a.txt", spec -> {});
    awaitVerified(links, "warm-up", "True");

    try (Links.StatusHistory history = links.watchStatuses("measured")) {
      links.create("measured", "one-write", "a.txt", spec -> {});
      awaitVerified(links, "measured", "True");
      links.create("witness", "one-write", "a.txt", spec -> {});
      awaitVerified(links, "witness", "True");

      assertThat(history.statuses())
          .singleElement()
          .satisfies(
              status -> {
                assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
                assertThat(condition(status, "Verified").getStatus()).isEqualTo("True");
              });
    }
  }

  @Test
  void aLinkToAMissingKeyReportsNoSuchKeyAndStillWritesItsUrl() {
    S3ProxyResource.server().createBucket("absent");
    Links links = links("verify-missing");
    links.create("missing", "absent", "not-yet.txt", spec -> {});

    Condition verified = awaitVerified(links, "missing", "False");

    assertThat(verified.getReason()).isEqualTo("NoSuchKey");
    assertThat(verified.getMessage()).startsWith("NoSuchKey: ");
    assertWrittenAndReady(links, "missing");
    assertFailureEvent("verify-missing", "NoSuchKey");
    // The object may appear later: the URL written is the one that then works.
    S3ProxyResource.server().putObject("absent", "not-yet.txt", bytes("late"));
    assertThat(Http.get(links.url("missing")).status()).isEqualTo(200);
  }

  @Test
  void aLinkSignedWithAWrongSecretKeyIsRefusedBySignature() {
    S3ProxyResource.server().createBucket("wrong-key");
    S3ProxyResource.server().putObject("wrong-key", "a.txt", bytes("report"));
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("bad-keys")
                .withNamespace("verify-wrong-key")
                .endMetadata()
                .addToData("accessKeyId", b64(S3ProxyServer.ACCESS_KEY_ID))
                .addToData("secretAccessKey", b64("not-the-secret-key"))
                .build())
        .create();
    Links links = links("verify-wrong-key");
    links.create("wrong", "wrong-key", "a.txt", withKeys("bad-keys"));

    Condition verified = awaitVerified(links, "wrong", "False");

    assertThat(verified.getReason()).isIn("SignatureDoesNotMatch", "AccessDenied");
    assertWrittenAndReady(links, "wrong");
    assertFailureEvent("verify-wrong-key", verified.getReason());
  }

  @Test
  void anEndpointThatDoesNotAnswerIsUnreachableWithinTheTimeout() throws IOException {
    int closedPort = FreePort.onLoopback();
    Links nothing = new Links(client, "verify-closed", java.net.URI.create(url(closedPort)));
    nothing.create("closed", "any", "a.txt", spec -> {});
    Condition refused = awaitVerified(nothing, "closed", "False");
    assertThat(refused.getReason()).isEqualTo("Unreachable");
    assertThat(refused.getMessage()).startsWith("unreachable: ").contains("ConnectException");
    assertWrittenAndReady(nothing, "closed");

    // A server that accepts the connection and never answers: the link is Ready and Verifying
    // after the status wait (1s), and a second status write reports the timeout (2s).
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Links links =
          new Links(client, "verify-silent", java.net.URI.create(url(silent.getLocalPort())));
      Links.StatusHistory history = links.watchStatuses("silent");
      links.create("silent", "any", "a.txt", spec -> {});
      links.awaitUrl("silent");
      long ready = System.nanoTime();

      Condition timedOut = awaitVerified(links, "silent", "False");
      history.close();
      PresignedObjectLinkStatus first = history.statuses().get(0);
      assertThat(condition(first, "Ready").getStatus()).isEqualTo("True");
      assertThat(condition(first, "Verified").getReason()).isEqualTo("Verifying");

      assertThat(Duration.ofNanos(System.nanoTime() - ready))
          .isLessThan(TIMEOUT.plus(Duration.ofSeconds(3)));
      assertThat(timedOut.getReason()).isEqualTo("Unreachable");
      assertThat(timedOut.getMessage()).contains("timed out");
      assertWrittenAndReady(links, "silent");
      assertFailureEvent("verify-silent", "unreachable: ");
    }
  }

  /** One request per new GET URL, ranged to its first byte; none for PUT or verify: false. */
  @Test
  void onlyGetLinksAreFetchedOnceAndVerifyFalseMakesNoRequest() throws IOException {
    try (RangeStandIn s3 = new RangeStandIn()) {
      Links links = new Links(client, "verify-count", s3.endpoint());
      links.create("get", "counted", "get.txt", spec -> {});
      links.create("put", "counted", "put.txt", spec -> spec.setMethod(HttpMethod.PUT));
      links.create("off", "counted", "off.txt", spec -> spec.setVerify(false));

      awaitVerified(links, "get", "True");
      links.awaitUrl("put");
      links.awaitUrl("off");
      await().pollDelay(Duration.ofSeconds(1)).until(() -> true);

      assertThat(s3.requests("/counted/"))
          .containsExactly(new RangeStandIn.Request("GET", "/counted/get.txt", "bytes=0-0"));
      assertThat(verified(links, "put")).isEmpty();
      assertThat(verified(links, "off")).isEmpty();
    }
  }

  private static Condition awaitVerified(Links links, String name, String status) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> verified(links, name).filter(c -> status.equals(c.getStatus())),
            Optional::isPresent)
        .orElseThrow();
  }

  private static Condition condition(PresignedObjectLinkStatus status, String type) {
    return status.getConditions().stream()
        .filter(condition -> type.equals(condition.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static Optional<Condition> verified(Links links, String name) {
    return links.condition(name, "Verified");
  }

  /** Verification never decides Ready, and the URL is in the Secret whatever S3 answered. */
  private static void assertWrittenAndReady(Links links, String name) {
    assertThat(links.ready(name))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(links.currentUrl(name)).contains("X-Amz-Signature=");
  }

  private void assertFailureEvent(String namespace, String code) {
    List<Event> failures =
        events(namespace).stream().filter(e -> "VerificationFailed".equals(e.getReason())).toList();
    assertThat(failures)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getType()).isEqualTo("Warning");
              assertThat(event.getMessage()).contains(code).doesNotContain("X-Amz-Signature=");
            });
  }

  private List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }

  private static Consumer<dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec> withKeys(
      String secret) {
    return spec -> {
      SecretKeysReference ref = new SecretKeysReference();
      ref.setName(secret);
      LinkCredentials credentials = new LinkCredentials();
      credentials.setSecretRef(ref);
      spec.setCredentials(credentials);
    };
  }

  private static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(bytes(value));
  }
}

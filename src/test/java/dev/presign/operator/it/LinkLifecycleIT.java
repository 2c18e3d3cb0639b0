package dev.presign.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.SecretKeysReference;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The life of a link with the real operator running against the Fabric8 mock API server (CRUD mode)
 * and S3Proxy, which checks every URL's signature and expiry as S3 does.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstallCrd.class)
@WithTestResource(S3ProxyResource.class)
class LinkLifecycleIT {

  private static final byte[] REPORT = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);

  /** Everything logged while the tests run, to show that no URL reaches a log (R6). */
  private static final List<String> LOGGED = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static final Handler LOG_CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          LOGGED.add(new SimpleFormatter().format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @KubernetesTestServer KubernetesServer server;
  @Inject KubernetesClient client;

  @BeforeAll
  static void captureLogs() {
    LOG_CAPTURE.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(LOG_CAPTURE);
  }

  @AfterAll
  static void noUrlWasLogged() {
    Logger.getLogger("").removeHandler(LOG_CAPTURE);
    assertThat(LOGGED).as("log records").isNotEmpty();
    assertThat(LOGGED)
        .noneMatch(line -> line.matches("(?s).*X-Amz-(Signature|Credential)=(?!REDACTED).*"));
  }

  private Links links(String namespace) {
    return new Links(client, namespace, s3().endpoint());
  }

  private static S3ProxyServer s3() {
    return S3ProxyResource.server();
  }

  @Test
  void getLinkSecretDownloadsTheObject() {
    s3().createBucket("reports");
    s3().putObject("reports", "daily/latest.csv", REPORT);
    Links links = links("team-get");

    links.create("report", "reports", "daily/latest.csv", spec -> spec.setExpiresIn("2h"));
    String url = links.awaitUrl("report");

    Http.Response response = Http.get(url);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(REPORT);

    Secret secret = links.secret("report");
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "presign-operator")
        .containsEntry("presign.dev/link", "report");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getKind()).isEqualTo("PresignedObjectLink");
              assertThat(owner.getController()).isTrue();
            });
    assertThat(Links.data(secret, "method")).isEqualTo("GET");
    PresignedObjectLink link = links.get("report");
    Instant issuedAt = Instant.parse(link.getStatus().getIssuedAt());
    Instant expiresAt = Instant.parse(link.getStatus().getExpiresAt());
    assertThat(Duration.between(issuedAt, expiresAt)).isEqualTo(Duration.ofHours(2));
    assertThat(Instant.parse(Links.data(secret, "expiresAt"))).isEqualTo(expiresAt);
    assertThat(link.getStatus().getSecretName()).isEqualTo("report");
    assertThat(link.getStatus().getObservedGeneration()).isEqualTo(1L);
    // renewBefore defaults to a third of the lifetime: renewal 80 min after issue, jitter earlier.
    Instant renewal = Instant.parse(link.getStatus().getRenewalTime());
    assertThat(renewal)
        .isBetween(issuedAt.plus(Duration.ofMinutes(75)), issuedAt.plus(Duration.ofMinutes(80)));
    // The URL lives only in the Secret: not in the status, not in events.
    assertThat(Serialization.asYaml(link)).doesNotContain("X-Amz-Signature");
    // Events are sent in the background (LinkEvents).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("team-get"))
                    .anySatisfy(event -> assertThat(event.getReason()).isEqualTo("Issued"))
                    .allSatisfy(
                        event -> assertThat(event.getMessage()).doesNotContain("X-Amz-Signature")));
  }

  @Test
  void putLinkUploadsWithTheSignedContentType() {
    s3().createBucket("uploads");
    Links links = links("team-put");
    links.create(
        "upload",
        "uploads",
        "incoming/result.json",
        spec -> {
          spec.setMethod(HttpMethod.PUT);
          spec.setContentType("application/json");
        });
    String url = links.awaitUrl("upload");
    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    assertThat(Http.put(url, body, "application/json").status()).isEqualTo(200);

    assertThat(s3().getObject("uploads", "incoming/result.json")).isEqualTo(body);
    assertThat(Links.data(links.secret("upload"), "method")).isEqualTo("PUT");
    // The content type is part of the signature: another one is refused.
    assertThat(Http.put(url, body, "text/plain").status()).isEqualTo(403);
  }

  @Test
  void keyWithSpecialCharactersDownloads() {
    String key = "reports/Q1 2026+final&draft=no (ünïcødé) 日本.csv";
    s3().createBucket("odd-keys");
    s3().putObject("odd-keys", key, REPORT);
    Links links = links("team-odd");
    links.create("odd", "odd-keys", key, spec -> {});

    Http.Response response = Http.get(links.awaitUrl("odd"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(REPORT);
  }

  @Test
  void tamperedUrlIsRefused() {
    withReport("tamper");
    Links links = links("team-tamper");
    links.create("tamper", "tamper", "a.txt", spec -> {});
    String url = links.awaitUrl("tamper");

    String otherKey = url.replace("/a.txt?", "/b.txt?");
    char last = url.charAt(url.length() - 1);
    String otherSignature = url.substring(0, url.length() - 1) + (last == '0' ? '1' : '0');
    String longerLife = url.replaceFirst("X-Amz-Expires=\\d+", "X-Amz-Expires=604800");

    assertThat(Http.get(url).status()).isEqualTo(200);
    assertThat(Http.get(otherKey).status()).isEqualTo(403);
    assertThat(Http.get(otherSignature).status()).isEqualTo(403);
    assertThat(Http.get(longerLife).status()).isEqualTo(403);
  }

  @Test
  void deletedSecretComesBackAndEditsAreUndone() {
    withReport("restore");
    Links links = links("team-restore");
    links.create("restore", "restore", "a.txt", spec -> {});
    links.awaitUrl("restore");

    client.secrets().inNamespace("team-restore").withName("restore").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> links.secret("restore") != null && links.secret("restore").getData() != null);
    assertThat(Http.get(links.url("restore")).body()).isEqualTo(REPORT);

    links.editSecret(
        "restore",
        secret -> {
          secret.getData().put("url", b64("https://example.com/not-the-link"));
          return secret;
        });
    // Waits on the Secret, not on fetching it: the edited URL points off this machine.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !links.url("restore").startsWith("https://example.com"));
    assertThat(Http.get(links.url("restore")).body()).isEqualTo(REPORT);
  }

  @Test
  void foreignSecretIsNeverModified() {
    withReport("foreign");
    Secret foreign =
        client
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("app-config")
                    .withNamespace("team-foreign")
                    .addToLabels("app", "billing")
                    .endMetadata()
                    .addToData("url", b64("https://billing.example.com"))
                    .addToData("password", b64("hunter2"))
                    .build())
            .create();
    String before = Serialization.asYaml(foreign);
    Links links = links("team-foreign");

    links.create(
        "takeover",
        "foreign",
        "a.txt",
        spec -> {
          spec.setSecretTemplate(Links.secretTemplate("app-config"));
        });

    Condition ready = links.awaitReason("takeover", "SecretConflict");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains("app-config");
    // Retries with backoff keep failing the same way and still leave the Secret alone.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(Serialization.asYaml(links.secret("app-config"))).isEqualTo(before);
    // Events are sent in the background (LinkEvents).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("team-foreign"))
                    .anySatisfy(
                        event -> {
                          assertThat(event.getReason()).isEqualTo("SecretConflict");
                          assertThat(event.getType()).isEqualTo("Warning");
                        }));
  }

  @Test
  void twoLinksNeverShareASecret() {
    withReport("shared");
    Links links = links("team-shared");
    links.create("first", "shared", "a.txt", spec -> {});
    String url = links.awaitUrl("first");

    links.create(
        "second",
        "shared",
        "a.txt",
        spec -> {
          spec.setSecretTemplate(Links.secretTemplate("first"));
        });

    assertThat(links.awaitReason("second", "SecretConflict").getStatus()).isEqualTo("False");
    assertThat(links.url("first")).isEqualTo(url);
    assertThat(links.secret("first").getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(owner -> assertThat(owner.getName()).isEqualTo("first"));
    assertThat(Http.get(url).body()).isEqualTo(REPORT);
  }

  @Test
  void idleLinkCausesNoWrites() throws InterruptedException {
    withReport("idle");
    Links links = links("team-idle");
    links.create("idle", "idle", "a.txt", spec -> {});
    String url = links.awaitUrl("idle");
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    writesSoFar();

    // A change the operator is told about but need not act on: a label of the user's own.
    links.editSecret(
        "idle",
        secret -> {
          secret.getMetadata().getLabels().put("team", "idle");
          return secret;
        });
    String linkVersion = links.get("idle").getMetadata().getResourceVersion();
    String secretVersion = links.secret("idle").getMetadata().getResourceVersion();
    await().pollDelay(Duration.ofSeconds(5)).until(() -> true);

    assertThat(writesSoFar())
        .as("writes after the user's own edit")
        .containsExactly("PATCH /api/v1/namespaces/team-idle/secrets/idle");
    assertThat(links.get("idle").getMetadata().getResourceVersion()).isEqualTo(linkVersion);
    assertThat(links.secret("idle").getMetadata().getResourceVersion()).isEqualTo(secretVersion);
    assertThat(links.url("idle")).isEqualTo(url);
    assertThat(links.secret("idle").getMetadata().getLabels()).containsEntry("team", "idle");

    // The operator was listening all along: an edit that matters is undone.
    links.editSecret(
        "idle",
        secret -> {
          secret.getData().remove("method");
          return secret;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> links.secret("idle").getData().containsKey("method"));
    assertThat(links.url("idle")).isEqualTo(url);
  }

  @Test
  void invalidSpecIsReportedWithItsFieldWhileOtherLinksWork() {
    withReport("mixed");
    Links links = links("team-mixed");

    // The mock API server does not evaluate the CRD's CEL rules, so these reach the operator as
    // they would on an API server without them.
    links.create(
        "renew-too-late",
        "mixed",
        "a.txt",
        spec -> {
          spec.setExpiresIn("1h");
          spec.setRenewBefore("90m");
        });
    links.create("bad-duration", "mixed", "a.txt", spec -> spec.setExpiresIn("soon"));
    links.create("good", "mixed", "a.txt", spec -> {});

    assertThat(Http.get(links.awaitUrl("good")).body()).isEqualTo(REPORT);
    Condition tooLate = links.awaitReason("renew-too-late", "InvalidSpec");
    assertThat(tooLate.getStatus()).isEqualTo("False");
    assertThat(tooLate.getMessage()).contains("spec.renewBefore");
    Condition badDuration = links.awaitReason("bad-duration", "InvalidSpec");
    assertThat(badDuration.getMessage()).contains("spec.expiresIn").contains("soon");
    assertThat(links.secret("renew-too-late")).isNull();
    assertThat(links.secret("bad-duration")).isNull();
  }

  @Test
  void renamedSecretReplacesTheOldOne() {
    withReport("rename");
    Links links = links("team-rename");
    links.create("rename", "rename", "a.txt", spec -> {});
    links.awaitUrl("rename");

    links.edit(
        "rename",
        spec -> {
          SecretTemplate template = Links.secretTemplate("rename-v2");
          template.setUrlKey("download");
          spec.setSecretTemplate(template);
        });

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> links.secret("rename-v2") != null && links.secret("rename") == null);
    Secret renamed = links.secret("rename-v2");
    assertThat(Http.get(Links.data(renamed, "download")).body()).isEqualTo(REPORT);
    assertThat(links.get("rename").getStatus().getSecretName()).isEqualTo("rename-v2");
  }

  /**
   * A one-minute link is rotated before it expires: when its first URL is refused as expired, the
   * Secret already holds a working one. A second link whose credentials disappear keeps its URL,
   * which still works, instead of losing it.
   */
  @Test
  void shortLivedLinkIsRotatedBeforeItExpires() {
    withReport("rotate");
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s3-keys")
                .withNamespace("team-rotate")
                .endMetadata()
                .addToData("accessKeyId", b64(S3ProxyServer.ACCESS_KEY_ID))
                .addToData("secretAccessKey", b64(S3ProxyServer.SECRET_ACCESS_KEY))
                .build())
        .create();
    Links links = links("team-rotate");
    links.create("short", "rotate", "a.txt", spec -> spec.setExpiresIn("1m"));
    links.create(
        "own-keys",
        "rotate",
        "a.txt",
        spec -> {
          spec.setExpiresIn("1m");
          LinkCredentials credentials = new LinkCredentials();
          SecretKeysReference ref = new SecretKeysReference();
          ref.setName("s3-keys");
          credentials.setSecretRef(ref);
          spec.setCredentials(credentials);
        });
    String first = links.awaitUrl("short");
    String ownKeysUrl = links.awaitUrl("own-keys");
    Instant firstExpiry = Instant.parse(links.get("short").getStatus().getExpiresAt());
    assertThat(Http.get(first).status()).isEqualTo(200);
    assertThat(Http.get(ownKeysUrl).status()).isEqualTo(200);
    client.secrets().inNamespace("team-rotate").withName("s3-keys").delete();

    String second = links.awaitNextUrl("short", first, Duration.ofSeconds(50));
    // At the moment of rotation both the old and the new URL work.
    assertThat(Http.get(first).status()).isEqualTo(200);
    assertThat(Http.get(second).body()).isEqualTo(REPORT);
    // The status follows the Secret by one patch (which waits for the URL's verification).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(links.get("short").getStatus().getRotations()).isEqualTo(2L));

    Condition ownKeys = links.awaitReason("own-keys", "CredentialsUnavailable");
    assertThat(ownKeys.getStatus()).as("its URL still works").isEqualTo("True");
    assertThat(ownKeys.getMessage()).contains("s3-keys");
    assertThat(links.url("own-keys")).isEqualTo(ownKeysUrl);
    assertThat(Http.get(ownKeysUrl).body()).isEqualTo(REPORT);

    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> Instant.now().isAfter(firstExpiry.plusSeconds(1)));
    assertThat(Http.get(first).status()).as("the first URL has expired").isEqualTo(403);
    assertThat(Http.get(links.url("short")).body()).isEqualTo(REPORT);
  }

  /** A bucket holding the report as a.txt. */
  private static void withReport(String bucket) {
    s3().createBucket(bucket);
    s3().putObject(bucket, "a.txt", REPORT);
  }

  private List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }

  /** The write requests the API server received since the last call, as "METHOD path". */
  private List<String> writesSoFar() throws InterruptedException {
    List<String> writes = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.getKubernetesMockServer().takeRequest(100, TimeUnit.MILLISECONDS))
        != null) {
      if (!"GET".equals(request.getMethod())) {
        writes.add(request.getMethod() + " " + request.getPath().replaceFirst("\\?.*", ""));
      }
    }
    return writes;
  }

  private static String b64(String value) {
    return java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}

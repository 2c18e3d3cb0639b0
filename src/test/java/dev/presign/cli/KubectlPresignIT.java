package dev.presign.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.SecretKeysReference;
import dev.presign.operator.api.v1alpha1.Upload;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import dev.presign.operator.realapi.RealApiServer;
import dev.presign.operator.realapi.RealApiServerResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each command of {@code kubectl presign}, run in this JVM as a user runs it (its command line, a
 * kubeconfig of a real kube-apiserver), against the operator running in-process on that server and
 * S3Proxy: real links, real Secrets, the output read as a person reads it.
 */
@QuarkusTest
@WithTestResource(RealApiServerResource.class)
@WithTestResource(S3ProxyResource.class)
class KubectlPresignIT {

  private static final byte[] REPORT = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);
  private static final String NAMESPACE = "team-cli";

  private static boolean bucketMade;

  private RealApiServer api;
  private Links links;
  private Path admin;

  @BeforeEach
  void setUp() throws IOException {
    S3ProxyServer s3 = S3ProxyResource.server();
    if (!bucketMade) {
      s3.createBucket("cli-reports");
      s3.putObject("cli-reports", "daily.csv", REPORT);
      bucketMade = true;
    }
    api = RealApiServerResource.server();
    api.createNamespace(NAMESPACE);
    links = new Links(api.client(), NAMESPACE, s3.endpoint());
    admin = api.writeKubeconfig(Files.createTempFile("admin", ".kubeconfig"));
  }

  private String readyLink(String name) {
    if (links.get(name) == null) {
      links.create(name, "cli-reports", "daily.csv", spec -> spec.setExpiresIn("1h"));
    }
    String url = links.awaitUrl(name);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(links.condition(name, "Verified"))
                    .isPresent()
                    .get()
                    .extracting(c -> c.getStatus())
                    .isEqualTo("True"));
    return url;
  }

  @Test
  void statusShowsAReadyLinkItsTimesAndEventsAndExitsZero() {
    readyLink("daily");

    CliRun run = CliRun.run(admin, "status", "daily", "-n", NAMESPACE);

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("Link:            team-cli/daily\n")
        .contains("Object:          GET s3://cli-reports/daily.csv\n")
        .contains("Ready:           True (Issued)\n")
        .contains("Verified:        True (Verified)\n")
        .contains("Secret:          daily, key url\n")
        .containsPattern("Expires:         in 59m\\d*s? \\(20\\d\\d-")
        .containsPattern("Next rotation:   in 3\\dm\\d*s? \\(")
        .contains("Credentials:     the operator's identity\n")
        .contains("Rotations:       1\n")
        .contains("Events:\n")
        .containsPattern("  Normal +Issued +\\d+s +")
        .doesNotContain("X-Amz-Signature");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void statusOfALinkThatIsNotReadyNamesTheReasonAndExitsOne() {
    readyLink("daily");
    PresignedObjectLink broken =
        links.create(
            "own-keys",
            "cli-reports",
            "daily.csv",
            spec -> {
              LinkCredentials credentials = new LinkCredentials();
              SecretKeysReference keys = new SecretKeysReference();
              keys.setName("no-such-keys");
              credentials.setSecretRef(keys);
              spec.setCredentials(credentials);
            });
    links.awaitReason(broken.getMetadata().getName(), "CredentialsUnavailable");

    CliRun all = CliRun.run(admin, "status", "-n", NAMESPACE);

    assertThat(all.status()).as(all.toString()).isEqualTo(1);
    assertThat(all.out())
        .contains("Link:            team-cli/daily\n")
        .contains("Link:            team-cli/own-keys\n")
        .containsPattern("Ready: +False \\(CredentialsUnavailable\\): .*no-such-keys")
        .contains("Credentials:     keys of Secret no-such-keys\n");
    CliRun one = CliRun.run(admin, "status", "daily", "-n", NAMESPACE);
    assertThat(one.status()).as("one Ready link alone").isZero();
  }

  @Test
  void statusAsJsonCarriesTheSameFacts() throws IOException {
    readyLink("daily");

    CliRun run = CliRun.run(admin, "status", "daily", "-n", NAMESPACE, "-o", "json");

    assertThat(run.status()).as(run.toString()).isZero();
    JsonNode link = new ObjectMapper().readTree(run.out()).get("links").get(0);
    assertThat(link.get("name").asText()).isEqualTo("daily");
    assertThat(link.get("ready").get("status").asText()).isEqualTo("True");
    assertThat(link.get("verified").get("reason").asText()).isEqualTo("Verified");
    assertThat(link.get("secret").get("name").asText()).isEqualTo("daily");
    assertThat(Instant.parse(link.get("expiresAt").asText())).isAfter(Instant.now());
    assertThat(link.get("events").get(0).get("reason").asText()).isEqualTo("Issued");
  }

  @Test
  void rotateWaitsForTheNewUrlAndPrintsTheOldAndNewExpiry() {
    String first = readyLink("daily");

    CliRun run = CliRun.run(admin, "rotate", "daily", "-n", NAMESPACE, "--wait=1m");

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.out())
        .containsPattern(
            "presignedobjectlink.presign.dev/daily rotation requested"
                + " \\(presign.dev/rotate-requested-at=20\\d\\d-")
        .containsPattern(
            "presignedobjectlink.presign.dev/daily rotated: the old URL expires in 5\\dm\\d*s?"
                + " \\(.*\\), the new one in (59m\\d*s?|1h) \\(");
    assertThat(links.currentUrl("daily")).isNotEqualTo(first);
    assertThat(links.get("daily").getStatus().getRotations()).isEqualTo(2L);
    assertThat(Http.get(links.currentUrl("daily")).body()).isEqualTo(REPORT);
  }

  @Test
  void rotateNamesALinkThatWillNotRotateAndExitsOne() {
    links.create(
        "no-account",
        "cli-reports",
        "daily.csv",
        spec -> {
          LinkCredentials credentials = new LinkCredentials();
          credentials.setServiceAccountName("no-such-account");
          spec.setCredentials(credentials);
        });
    links.awaitReason("no-account", "CredentialsUnavailable");

    CliRun run = CliRun.run(admin, "rotate", "no-account", "-n", NAMESPACE, "--wait=3s");

    assertThat(run.status()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains("team-cli/no-account: the request was not handled within 3s (Ready False")
        .contains("CredentialsUnavailable");
  }

  @Test
  void urlPrintsTheUrlOfTheSecretAloneOnStdoutAndItsExpiryOnStderr() {
    readyLink("daily");

    CliRun run = CliRun.run(admin, "url", "daily", "-n", NAMESPACE);

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo(links.currentUrl("daily") + "\n");
    assertThat(run.err()).containsPattern("^expires in 59m\\d*s? \\(.*\\); next rotation in ");
    assertThat(Http.get(run.out().strip()).body()).isEqualTo(REPORT);
  }

  /**
   * A POST link: url prints a curl command that, run by a shell as printed, uploads the file
   * through the form; status shows the form's limits.
   */
  @Test
  void urlOfAPostLinkPrintsACurlCommandThatUploadsTheFileAndStatusShowsItsLimits()
      throws Exception {
    S3ProxyServer s3 = S3ProxyResource.server();
    s3.createBucket("cli-drops");
    links.create(
        "drop",
        "cli-drops",
        "incoming/${filename}",
        spec -> {
          spec.setMethod(HttpMethod.POST);
          Upload upload = new Upload();
          upload.setMaxSize(new Quantity("1Ki"));
          upload.setContentType("image/");
          spec.setUpload(upload);
        });
    links.awaitUrl("drop");
    Path picture = Files.createTempDirectory("cli").resolve("cat's photo.png");
    Files.write(picture, new byte[] {1, 2, 3});

    CliRun url = CliRun.run(admin, "url", "drop", "-n", NAMESPACE, "--file", picture.toString());
    CliRun status = CliRun.run(admin, "status", "drop", "-n", NAMESPACE);
    CliRun untyped = CliRun.run(admin, "url", "drop", "-n", NAMESPACE, "--file", "/tmp/notes.txt");

    assertThat(url.status()).as(url.toString()).isZero();
    assertThat(url.out())
        .startsWith("curl -sS")
        .contains("--form-string 'key=incoming/${filename}'")
        .contains("--form-string 'Content-Type=image/png'")
        .contains("-F 'file=@" + picture.toString().replace("'", "'\\''") + "'");
    assertThat(url.err()).startsWith("the form expires in ");
    Process curl = new ProcessBuilder("bash", "-c", url.out()).redirectErrorStream(true).start();
    String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    curl.waitFor();
    assertThat(answer).isEqualTo("204\n");
    assertThat(s3.getObject("cli-drops", "incoming/cat's photo.png")).containsExactly(1, 2, 3);
    assertThat(status.out())
        .contains("Object:          POST s3://cli-drops/incoming/${filename}\n")
        .contains("Upload limits:   up to 1Ki bytes, Content-Type image/*\n");
    assertThat(untyped.status()).isEqualTo(1);
    assertThat(untyped.out()).isEmpty();
    assertThat(untyped.err())
        .isEqualTo(
            "error: link drop takes a Content-Type starting with image/, not text/plain; give it"
                + " with --content-type\n");
  }

  @Test
  void aUserWhoMayNotReadSecretsIsToldSoAndSeesNoUrl() throws IOException {
    readyLink("daily");
    Path viewer = linksOnlyUser("link-viewer");

    CliRun url = CliRun.run(viewer, "url", "daily", "-n", NAMESPACE);
    CliRun status = CliRun.run(viewer, "status", "daily", "-n", NAMESPACE);

    assertThat(url.status()).as(url.toString()).isEqualTo(1);
    assertThat(url.out()).isEmpty();
    assertThat(url.err())
        .startsWith(
            "error: you may not read Secret daily in namespace team-cli, which holds the URL of"
                + " link daily")
        .contains("Error from server (Forbidden)")
        .doesNotContain("X-Amz-Signature");
    assertThat(status.status()).as("status needs no Secret: " + status).isZero();
  }

  @Test
  void createShowsTheLinkOnADryRunStoresItOtherwiseAndShowsTheServersRefusal() {
    CliRun client =
        CliRun.run(
            admin,
            "create",
            "weekly",
            "-n",
            NAMESPACE,
            "--bucket",
            "cli-reports",
            "--key",
            "daily.csv",
            "--expires-in",
            "12h",
            "--restart",
            "deployment/mailer",
            "--dry-run=client",
            "-o",
            "yaml");
    assertThat(client.status()).as(client.toString()).isZero();
    assertThat(client.out())
        .startsWith("apiVersion: \"presign.dev/v1alpha1\"\nkind: \"PresignedObjectLink\"\n")
        .contains("  name: \"weekly\"\n  namespace: \"team-cli\"\n")
        .contains("  expiresIn: \"12h\"\n")
        .contains("  - kind: \"Deployment\"\n    name: \"mailer\"\n");
    assertThat(links.get("weekly")).as("a client dry run stores nothing").isNull();

    CliRun refused =
        CliRun.run(
            admin,
            "create",
            "weekly",
            "-n",
            NAMESPACE,
            "--bucket",
            "cli-reports",
            "--key",
            "daily.csv",
            "--expires-in",
            "200h",
            "--dry-run=server");
    assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err())
        .startsWith("Error from server (Invalid): ")
        .contains("spec.expiresIn must be between 1m and 168h");

    CliRun created =
        CliRun.run(
            admin,
            "create",
            "weekly",
            "-n",
            NAMESPACE,
            "--bucket",
            "cli-reports",
            "--key",
            "daily.csv",
            "--expires-in",
            "12h",
            "--endpoint",
            S3ProxyResource.server().endpoint().toString(),
            "--path-style");
    assertThat(created.out()).isEqualTo("presignedobjectlink.presign.dev/weekly created\n");
    assertThat(links.get("weekly").getSpec().getExpiresIn()).isEqualTo("12h");
    assertThat(links.awaitUrl("weekly")).as("the operator signs the link created").isNotBlank();
  }

  @Test
  void checkReportsTheCrdTheOperatorItsLeaseAndTheUsersRights() throws IOException {
    readyLink("daily");
    // The operator of this test runs in-process: no pod, no Lease. The check reads what a
    // deployed operator leaves in the cluster, staged here as a deployment leaves it.
    api.createNamespace("presign-system");
    var pods = api.client().pods().inNamespace("presign-system");
    if (pods.withName("presign-operator-0").get() == null) {
      var pod =
          pods.resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("presign-operator-0")
                      .addToLabels("app.kubernetes.io/name", "presign-operator")
                      .endMetadata()
                      .withNewSpec()
                      .addNewContainer()
                      .withName("operator")
                      .withImage("presign-operator:test")
                      .endContainer()
                      .endSpec()
                      .build())
              .create();
      pod.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder()
              .withPhase("Running")
              .withConditions(
                  new PodConditionBuilder().withType("Ready").withStatus("True").build())
              .build());
      pods.resource(pod).updateStatus();
    }
    lease(Instant.now());

    CliRun healthy = CliRun.run(admin, "check", "-n", NAMESPACE);

    assertThat(healthy.status()).as(healthy.toString()).isZero();
    assertThat(healthy.out())
        .contains(
            "[ok]   CRD presignedobjectlinks.presign.dev installed, serving v1alpha1 (preferred"
                + " v1alpha1)\n")
        .contains("[ok]   operator: 1 of 1 pods ready in presign-system (presign-operator-0)\n")
        .containsPattern(
            "\\[ok\\]   Lease presign-system/presign-operator-lease held by presign-operator-0,"
                + " renewed (now|\\d+s ago)\n")
        .containsPattern("\\[ok\\]   \\d+ links in namespace team-cli, all handled by the operator")
        .contains(
            "[ok]   you may get, list, watch, create, patch, delete presignedobjectlinks in"
                + " namespace team-cli\n");

    lease(Instant.now().minus(Duration.ofMinutes(10)));
    CliRun stale = CliRun.run(admin, "check", "-n", NAMESPACE);
    assertThat(stale.status()).as(stale.toString()).isEqualTo(1);
    assertThat(stale.out())
        .contains(
            "[fail] Lease presign-system/presign-operator-lease held by presign-operator-0 was"
                + " last renewed 10m ago (lease duration 15s): its leader has stopped\n");

    CliRun viewer = CliRun.run(linksOnlyUser("checker"), "check", "-n", NAMESPACE);
    assertThat(viewer.out())
        .contains(
            "[ok]   you may get, list, watch, patch presignedobjectlinks in namespace team-cli\n")
        .contains("[warn] you may not get secrets in namespace team-cli");
  }

  @Test
  void completionOffersTheLinksOfTheNamespaceTyped() {
    readyLink("daily");

    // kubectl_complete-presign passes the words typed; the last is the one being completed.
    CliRun words = runComplete("status", "--kubeconfig", admin.toString(), "-n", NAMESPACE, "d");

    assertThat(words.status()).isZero();
    assertThat(words.out()).isEqualTo("daily\n:4\n");
  }

  private static CliRun runComplete(String... words) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    String[] args = new String[words.length + 1];
    args[0] = PresignCommand.COMPLETE;
    System.arraycopy(words, 0, args, 1, words.length);
    int status =
        PresignCommand.execute(
            java.time.Clock.systemUTC(),
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(err),
            args);
    return new CliRun(status, out.toString(), err.toString());
  }

  private void lease(Instant renewed) {
    api.client()
        .leases()
        .inNamespace("presign-system")
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("presign-operator-lease")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("presign-operator-0")
                .withLeaseDurationSeconds(15)
                .withAcquireTime(renewed.atZone(ZoneOffset.UTC))
                .withRenewTime(renewed.atZone(ZoneOffset.UTC))
                .endSpec()
                .build())
        .createOr(r -> r.update());
  }

  /**
   * A kubeconfig of a ServiceAccount whose Role grants links (get, list, watch, patch) and events,
   * but no Secrets.
   */
  private Path linksOnlyUser(String name) throws IOException {
    var rbac = api.client().rbac();
    rbac.roles()
        .inNamespace(NAMESPACE)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addNewRule()
                .withApiGroups("presign.dev")
                .withResources("presignedobjectlinks")
                .withVerbs("get", "list", "watch", "patch")
                .endRule()
                .addNewRule()
                .withApiGroups("")
                .withResources("events")
                .withVerbs("get", "list")
                .endRule()
                .build())
        .createOr(r -> r.update());
    rbac.roleBindings()
        .inNamespace(NAMESPACE)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(name)
                .withNamespace(NAMESPACE)
                .endSubject()
                .build())
        .createOr(r -> r.update());
    String token = api.serviceAccountToken(NAMESPACE, name, Duration.ofMinutes(20));
    return api.writeKubeconfig(Files.createTempFile(name, ".kubeconfig"), token);
  }
}

package dev.presign.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.Upload;
import dev.presign.operator.signing.FormFields;
import dev.presign.operator.validation.LinkValidator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Links signed as a ServiceAccount's IAM role: the real operator on the mock API server asks for
 * the ServiceAccount's token, exchanges it at a loopback STS, and signs with the session; S3Proxy
 * checks the URLs.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstallCrd.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(StsStandInResource.class)
class ServiceAccountCredentialsIT {

  private static final byte[] REPORT = "tenant report\n".getBytes(StandardCharsets.UTF_8);
  private static final String READER_ROLE = "arn:aws:iam::111122223333:role/team-sa-reader";

  @KubernetesTestServer KubernetesServer server;
  @Inject KubernetesClient client;

  private Links links(String namespace) {
    return new Links(client, namespace, S3ProxyResource.server().endpoint());
  }

  /**
   * A ServiceAccount with a role annotation (or none), and the API server's answer to a
   * TokenRequest for it: a token whose subject is that ServiceAccount. The mock API server does not
   * issue tokens itself.
   */
  private void serviceAccount(String namespace, String name, String roleArn) {
    ServiceAccountBuilder account =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata();
    if (roleArn != null) {
      account.editMetadata().addToAnnotations("eks.amazonaws.com/role-arn", roleArn).endMetadata();
    }
    client.resource(account.build()).create();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name + "/token")
        .andReturn(
            201,
            new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences("sts.amazonaws.com")
                .endSpec()
                .withNewStatus()
                .withToken(WebIdentityTokens.of(namespace, name))
                .withExpirationTimestamp(Instant.now().plusSeconds(600).toString())
                .endStatus()
                .build())
        .always();
  }

  private static Consumer<PresignedObjectLinkSpec> asServiceAccount(String name) {
    return spec -> {
      LinkCredentials credentials = new LinkCredentials();
      credentials.setServiceAccountName(name);
      spec.setCredentials(credentials);
    };
  }

  private static void withReport(String bucket) {
    S3ProxyResource.server().createBucket(bucket);
    S3ProxyResource.server().putObject(bucket, "a.txt", REPORT);
  }

  @Test
  void urlSignedAsTheServiceAccountRoleIsCappedAtItsSessionAndRenewedBeforeIt() {
    StsStandIn sts = StsStandInResource.sts();
    sts.limitSessionsTo(Duration.ofSeconds(30));
    withReport("tenant-reports");
    serviceAccount("team-sa", "reader", READER_ROLE);
    Links links = links("team-sa");

    links.create("tenant", "tenant-reports", "a.txt", asServiceAccount("reader"));
    String first = links.awaitUrl("tenant");

    assertThat(Http.get(first).body()).isEqualTo(REPORT);
    assertThat(first).contains("X-Amz-Security-Token=session-");
    StsStandIn.Call call = callsFor(READER_ROLE).get(0);
    assertThat(call.roleArn()).isEqualTo(READER_ROLE);
    assertThat(WebIdentityTokens.subject(call.token()))
        .isEqualTo("system:serviceaccount:team-sa:reader");
    assertThat(call.durationSeconds()).as("the link's 1h, within the 1h maximum").isEqualTo(3600);
    assertThat(call.sessionName()).isEqualTo("presign-team-sa-reader");

    PresignedObjectLink link = links.get("tenant");
    Instant sessionEnd = Instant.parse(link.getStatus().getCredentialsExpireAt());
    assertThat(Instant.parse(link.getStatus().getExpiresAt())).isEqualTo(sessionEnd);
    assertThat(Instant.parse(link.getStatus().getRenewalTime())).isBefore(sessionEnd);
    // Events are sent in the background (LinkEvents).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("team-sa"))
                    .anySatisfy(
                        event -> {
                          assertThat(event.getReason()).isEqualTo("LifetimeCapped");
                          assertThat(event.getType()).isEqualTo("Warning");
                          assertThat(event.getMessage()).contains("ServiceAccount team-sa/reader");
                        }));

    String second = links.awaitNextUrl("tenant", first, Duration.ofSeconds(40));
    assertThat(Instant.now()).as("renewed before the session ended").isBefore(sessionEnd);
    assertThat(Http.get(second).body()).isEqualTo(REPORT);
    assertThat(callsFor(READER_ROLE)).as("a fresh session for the new URL").hasSizeGreaterThan(1);
  }

  /**
   * A POST form signed as the role: its policy names the session's token and expires with the
   * session (R2), and S3Proxy takes an upload through it.
   */
  @Test
  void postFormSignedAsTheServiceAccountRoleCarriesTheSessionTokenAndDiesWithTheSession() {
    StsStandInResource.sts().limitSessionsTo(Duration.ofSeconds(45));
    S3ProxyResource.server().createBucket("tenant-uploads");
    serviceAccount("team-sa-post", "uploader", READER_ROLE);
    Links links = links("team-sa-post");

    links.create(
        "drop",
        "tenant-uploads",
        "drop/${filename}",
        asServiceAccount("uploader")
            .andThen(
                spec -> {
                  spec.setMethod(HttpMethod.POST);
                  Upload upload = new Upload();
                  upload.setMaxSize(new Quantity("1Ki"));
                  spec.setUpload(upload);
                }));
    String action = links.awaitUrl("drop");
    Map<String, String> form =
        FormFields.fromJson(Links.data(links.secret("drop"), LinkValidator.FIELDS_KEY));

    assertThat(form.get("x-amz-security-token")).startsWith("session-");
    JsonNode policy = policy(form.get("policy"));
    assertThat(policy.get("conditions").toString())
        .contains("{\"x-amz-security-token\":\"" + form.get("x-amz-security-token") + "\"}");
    PresignedObjectLink link = links.get("drop");
    assertThat(Instant.parse(policy.get("expiration").asText()))
        .isEqualTo(Instant.parse(link.getStatus().getExpiresAt()))
        .isEqualTo(Instant.parse(link.getStatus().getCredentialsExpireAt()));
    Http.Response answer =
        Http.postForm(action, form, "note.txt", "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(answer.status()).isEqualTo(204);
    assertThat(S3ProxyResource.server().getObject("tenant-uploads", "drop/note.txt"))
        .isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode policy(String base64) {
    try {
      return new ObjectMapper().readTree(Base64.getDecoder().decode(base64));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void unusableServiceAccountsAreNamedWhileOtherLinksWork() {
    StsStandIn sts = StsStandInResource.sts();
    String refusedRole = "arn:aws:iam::111122223333:role/not-trusting-this-cluster";
    sts.refuse(refusedRole);
    withReport("tenant-mixed");
    serviceAccount("team-a", "reader", "arn:aws:iam::111122223333:role/team-a-reader");
    serviceAccount("team-b", "no-role", null);
    serviceAccount("team-b", "refused", refusedRole);
    Links teamB = links("team-b");

    teamB.create("borrowed", "tenant-mixed", "a.txt", asServiceAccount("reader"));
    teamB.create("no-role", "tenant-mixed", "a.txt", asServiceAccount("no-role"));
    teamB.create("refused", "tenant-mixed", "a.txt", asServiceAccount("refused"));
    teamB.create("own-identity", "tenant-mixed", "a.txt", spec -> {});

    assertThat(Http.get(teamB.awaitUrl("own-identity")).body()).isEqualTo(REPORT);
    Condition borrowed = teamB.awaitReason("borrowed", "CredentialsUnavailable");
    assertThat(borrowed.getStatus()).isEqualTo("False");
    assertThat(borrowed.getMessage())
        .contains("ServiceAccount team-b/reader")
        .contains("does not exist");
    assertThat(teamB.awaitReason("no-role", "CredentialsUnavailable").getMessage())
        .contains("no eks.amazonaws.com/role-arn annotation");
    assertThat(teamB.awaitReason("refused", "CredentialsUnavailable").getMessage())
        .contains("AccessDenied")
        .contains(refusedRole);
    assertThat(sts.calls())
        .as("team-a's role is never asked for on behalf of team-b")
        .noneMatch(call -> call.roleArn().endsWith("team-a-reader"));
    assertThat(List.of("borrowed", "no-role", "refused"))
        .allSatisfy(name -> assertThat(teamB.secret(name)).isNull());
    // Events are sent in the background (LinkEvents).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("team-b"))
                    .filteredOn(event -> "CredentialsUnavailable".equals(event.getReason()))
                    .extracting(event -> event.getInvolvedObject().getName())
                    .contains("borrowed", "no-role", "refused"));
  }

  private static List<StsStandIn.Call> callsFor(String roleArn) {
    return StsStandInResource.sts().callsFor(roleArn);
  }

  private List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }
}

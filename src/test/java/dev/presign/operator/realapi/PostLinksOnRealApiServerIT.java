package dev.presign.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.SecretKeysReference;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import dev.presign.operator.api.v1alpha1.Upload;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import dev.presign.operator.signing.FormFields;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * POST links (method: POST with spec.upload) on a real kube-apiserver: the operator writes the form
 * to the Secret, and an uploader who copies it from there uploads to S3Proxy, which checks the
 * policy. Same profile and resources as {@link LinksOnRealApiServerIT}, so they share one operator.
 */
@QuarkusTest
@TestProfile(LinksOnRealApiServerIT.HidingLabel.class)
@WithTestResource(RealApiServerResource.class)
@WithTestResource(S3ProxyResource.class)
class PostLinksOnRealApiServerIT {

  private final RealApiServer api = RealApiServerResource.server();
  private final KubernetesClient admin = api.client();
  private final S3ProxyServer s3 = S3ProxyResource.server();

  /** A form for images of 2 bytes to 1 KiB under incoming/, the uploader naming the file. */
  private static Consumer<PresignedObjectLinkSpec> imageUploads() {
    return spec -> {
      spec.setMethod(HttpMethod.POST);
      Upload upload = new Upload();
      upload.setMaxSize(new Quantity("1Ki"));
      upload.setMinSize(new Quantity("2"));
      upload.setContentType("image/");
      spec.setUpload(upload);
    };
  }

  @Test
  void theSecretOfAPostLinkHoldsAFormThatUploadsWithinItsLimitsAndS3RefusesTheRest() {
    s3.createBucket("post-static");
    api.createNamespace("post-static");
    Links links = new Links(admin, "post-static", s3.endpoint());

    links.create("images", "post-static", "incoming/${filename}", imageUploads());
    String action = links.awaitUrl("images");
    Secret secret = links.secret("images");

    assertThat(secret.getData()).containsOnlyKeys("url", "fields", "expiresAt", "method");
    assertThat(Links.data(secret, "method")).isEqualTo("POST");
    assertThat(action).isEqualTo(s3.endpoint() + "/post-static");
    Map<String, String> form = fields(secret);
    assertThat(form.keySet())
        .containsExactly(
            "key",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "policy",
            "x-amz-signature");
    assertThat(links.get("images").getStatus().getUrlDigest()).startsWith("sha256:");
    assertThat(links.condition("images", "Verified")).as("R11 never tries a form").isEmpty();

    assertThat(upload(action, form, Map.of("Content-Type", "image/png"), "cat.png", 1024).status())
        .isEqualTo(204);
    assertThat(s3.getObject("post-static", "incoming/cat.png")).hasSize(1024);
    Http.Response tooLarge =
        upload(action, form, Map.of("Content-Type", "image/png"), "big.png", 1025);
    assertThat(tooLarge.status()).isEqualTo(400);
    assertThat(tooLarge.text()).contains("EntityTooLarge");
    Http.Response tooSmall =
        upload(action, form, Map.of("Content-Type", "image/png"), "dot.png", 1);
    assertThat(tooSmall.status()).isEqualTo(400);
    assertThat(tooSmall.text()).contains("EntityTooSmall");
    assertThat(
            upload(
                    action,
                    form,
                    Map.of("Content-Type", "image/png", "key", "outside/cat.png"),
                    "cat.png",
                    10)
                .status())
        .isEqualTo(403);
    assertThat(upload(action, form, Map.of("Content-Type", "text/html"), "a.html", 10).status())
        .isEqualTo(403);
  }

  @Test
  void afterARotationTheOldFormAndTheNewFormBothUpload() {
    s3.createBucket("post-rotate");
    api.createNamespace("post-rotate");
    Links links = new Links(admin, "post-rotate", s3.endpoint());
    links.create("images", "post-rotate", "incoming/${filename}", imageUploads());
    String action = links.awaitUrl("images");
    Map<String, String> first = fields(links.secret("images"));

    links.annotate("images", "presign.dev/rotate-requested-at", "2026-12-07T10:00:00Z");
    Map<String, String> second =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> fields(links.secret("images")), form -> !form.equals(first));

    assertThat(links.get("images").getStatus().getRotations()).isEqualTo(2);
    assertThat(upload(action, first, Map.of("Content-Type", "image/png"), "old.png", 10).status())
        .isEqualTo(204);
    assertThat(upload(action, second, Map.of("Content-Type", "image/png"), "new.png", 10).status())
        .isEqualTo(204);
  }

  @Test
  void anEditedOrRemovedFormInTheSecretIsSignedAnew() {
    s3.createBucket("post-edited");
    api.createNamespace("post-edited");
    Links links = new Links(admin, "post-edited", s3.endpoint());
    links.create("images", "post-edited", "incoming/${filename}", imageUploads());
    String action = links.awaitUrl("images");
    Map<String, String> original = fields(links.secret("images"));

    Map<String, String> widened = new LinkedHashMap<>(original);
    widened.put("key", "anywhere/${filename}");
    links.editSecret("images", secret -> withFields(secret, FormFields.toJson(widened)));
    Map<String, String> restored =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> fields(links.secret("images")),
                form -> !form.equals(widened) && !form.equals(original));
    assertThat(restored).containsEntry("key", "incoming/${filename}");
    assertThat(upload(action, restored, Map.of("Content-Type", "image/png"), "a.png", 10).status())
        .isEqualTo(204);

    links.editSecret(
        "images",
        secret -> {
          secret.getData().remove("fields");
          return secret;
        });
    Map<String, String> again =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    links.secret("images").getData().containsKey("fields")
                        ? fields(links.secret("images"))
                        : Map.of(),
                form -> !form.isEmpty());
    assertThat(upload(action, again, Map.of("Content-Type", "image/png"), "b.png", 10).status())
        .isEqualTo(204);
  }

  @Test
  void sessionKeysFromASecretSignAFormThatCarriesTheirToken() {
    s3.createBucket("post-session");
    api.createNamespace("post-session");
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("session-keys")
                .withNamespace("post-session")
                .endMetadata()
                .addToData("accessKeyId", b64(S3ProxyServer.ACCESS_KEY_ID))
                .addToData("secretAccessKey", b64(S3ProxyServer.SECRET_ACCESS_KEY))
                .addToData("sessionToken", b64("the-session-token"))
                .build())
        .create();
    Links links = new Links(admin, "post-session", s3.endpoint());
    links.create(
        "report",
        "post-session",
        "reports/q3.pdf",
        spec -> {
          spec.setMethod(HttpMethod.POST);
          Upload upload = new Upload();
          upload.setMaxSize(new Quantity("10Mi"));
          upload.setContentType("application/pdf");
          upload.setSuccessActionStatus(201);
          spec.setUpload(upload);
          LinkCredentials credentials = new LinkCredentials();
          SecretKeysReference keys = new SecretKeysReference();
          keys.setName("session-keys");
          credentials.setSecretRef(keys);
          spec.setCredentials(credentials);
        });
    String action = links.awaitUrl("report");
    Map<String, String> form = fields(links.secret("report"));

    assertThat(form)
        .containsEntry("x-amz-security-token", "the-session-token")
        .containsEntry("Content-Type", "application/pdf")
        .containsEntry("success_action_status", "201");
    assertThat(upload(action, form, Map.of(), "whatever.pdf", 100).status()).isEqualTo(201);
    assertThat(s3.getObject("post-session", "reports/q3.pdf")).hasSize(100);
  }

  @Test
  void aTemplateOfAPostLinkRendersTheFormTheSecretHoldsAndItUploads() throws Exception {
    s3.createBucket("post-template");
    api.createNamespace("post-template");
    Links links = new Links(admin, "post-template", s3.endpoint());
    links.create(
        "images",
        "post-template",
        "incoming/${filename}",
        imageUploads()
            .andThen(
                spec -> {
                  SecretTemplate template = new SecretTemplate();
                  template.setData(
                      Map.of(
                          "form.json",
                          "{\"action\": {{#json}}{{ url }}{{/json}}, \"fields\": {{ fields }},"
                              + " \"policy\": \"{{ fields.policy }}\"}"));
                  spec.setSecretTemplate(template);
                }));
    String action = links.awaitUrl("images");
    Secret secret = links.secret("images");

    JsonNode rendered = new ObjectMapper().readTree(Links.data(secret, "form.json"));
    Map<String, String> form = FormFields.fromJson(rendered.get("fields").toString());
    assertThat(rendered.get("action").asText()).isEqualTo(action);
    assertThat(form).containsExactlyEntriesOf(fields(secret));
    assertThat(rendered.get("policy").asText()).isEqualTo(form.get("policy"));
    assertThat(upload(action, form, Map.of("Content-Type", "image/gif"), "a.gif", 10).status())
        .isEqualTo(204);
  }

  private static Map<String, String> fields(Secret secret) {
    return FormFields.fromJson(Links.data(secret, "fields"));
  }

  private static Secret withFields(Secret secret, String json) {
    secret.getData().put("fields", b64(json));
    return secret;
  }

  /** The form as the Secret gives it, with {@code changed} put in, then the file. */
  private static Http.Response upload(
      String action,
      Map<String, String> form,
      Map<String, String> changed,
      String fileName,
      int size) {
    Map<String, String> fields = new LinkedHashMap<>(form);
    fields.putAll(changed);
    return Http.postForm(
        action, fields, fileName, "x".repeat(size).getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}

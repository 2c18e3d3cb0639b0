package dev.presign.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.RestartTarget;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.InstallCrd;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator in-process on a real kube-apiserver with the CRD of crds/: a link's URL fetched
 * through S3Proxy; bad specs refused at create by the schema and CEL rules with the CRD's own
 * messages; a link stored under a looser older schema named InvalidSpec by the operator, whose
 * status write the server accepts under the current CRD.
 */
@QuarkusTest
@TestProfile(LinksOnRealApiServerIT.HidingLabel.class)
@WithTestResource(RealApiServerResource.class)
@WithTestResource(S3ProxyResource.class)
class LinksOnRealApiServerIT {

  private static final byte[] REPORT = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);

  /** Links labelled with it are not this operator's, until the label goes. */
  private static final String HIDDEN = "presign.dev/not-yet";

  /** The operator serves the links without {@link #HIDDEN}. */
  public static class HidingLabel implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("presign.selector", "!" + HIDDEN);
    }
  }

  private static final AtomicInteger ACCEPTED = new AtomicInteger();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final RealApiServer api = RealApiServerResource.server();
  private final KubernetesClient admin = api.client();
  private final S3ProxyServer s3 = S3ProxyResource.server();

  @Test
  void aLinkCreatedOnARealApiServerHoldsAUrlThatDownloadsTheObject() {
    s3.createBucket("real-reports");
    s3.putObject("real-reports", "daily.csv", REPORT);
    api.createNamespace("team-real");
    Links links = new Links(admin, "team-real", s3.endpoint());

    links.create("report", "real-reports", "daily.csv", spec -> spec.setExpiresIn("1h"));
    String url = links.awaitUrl("report");

    Http.Response response = Http.get(url);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(REPORT);
  }

  /** Each spec, as YAML fields added to a valid one, and the message the server answers with. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          bucket: a..b                                   | spec.bucket must follow S3 bucket naming rules
          bucket: ab                                     | spec.bucket: Invalid value: "ab": spec.bucket in body should be at least 3 chars long
          bucket: Reports                                | spec.bucket in body should match
          key: ''                                        | spec.key in body should be at least 1 chars long
          method: DELETE                                 | Unsupported value: "DELETE": supported values: "GET", "POST", "PUT"
          bucket: 192.168.1.10                           | spec.bucket must follow S3 bucket naming rules
          expiresIn: 59s                                 | spec.expiresIn must be between 1m and 168h
          expiresIn: 168h1s                              | spec.expiresIn must be between 1m and 168h
          expiresIn: 7d                                  | spec.expiresIn in body should match
          {expiresIn: 1h, renewBefore: 1h}               | spec.renewBefore must be shorter than spec.expiresIn
          renewBefore: 2h                                | spec.renewBefore must be shorter than spec.expiresIn
          {method: PUT, responseHeaders: {cacheControl: no-store}} | spec.responseHeaders applies to GET links only
          {method: PUT, versionId: v1}                   | spec.versionId applies to GET links only
          contentType: text/csv                          | spec.contentType applies to PUT links only
          credentials: {serviceAccountName: a, secretRef: {name: b}} | spec.credentials takes either serviceAccountName or secretRef
          method: POST                                   | spec.upload (with its maxSize) is required for POST links
          upload: {maxSize: 10Mi}                        | spec.upload applies to POST links only
          {method: PUT, upload: {maxSize: 10Mi}}         | spec.upload applies to POST links only
          {method: POST, upload: {minSize: 1}}           | spec.upload.maxSize: Required value
          {method: POST, upload: {maxSize: 6Gi}}         | spec.upload.maxSize must be a whole number of bytes between 1 and 5Gi
          {method: POST, upload: {maxSize: 0}}           | spec.upload.maxSize must be a whole number of bytes between 1 and 5Gi
          {method: POST, upload: {maxSize: ten}}         | spec.upload.maxSize must be a whole number of bytes between 1 and 5Gi
          {method: POST, upload: {maxSize: 10, minSize: 0}} | spec.upload.minSize must be a whole number of bytes of at least 1
          {method: POST, upload: {maxSize: 10, minSize: 11}} | spec.upload.minSize must not be larger than spec.upload.maxSize
          {method: POST, upload: {maxSize: 10, successActionStatus: 202}} | spec.upload.successActionStatus must be 200, 201 or 204
          {method: POST, contentType: text/csv, upload: {maxSize: 10}} | spec.contentType applies to PUT links only
          {method: POST, versionId: v1, upload: {maxSize: 10}} | spec.versionId applies to GET links only
          secretTemplate: {data: {url: x}}               | spec.secretTemplate.data may not write url, expiresAt, method or fields
          secretTemplate: {data: {fields: x}}            | spec.secretTemplate.data may not write url, expiresAt, method or fields
          secretTemplate: {data: {conf/app.json: x}}     | spec.secretTemplate.data: each key must be a Secret data key
          secretTemplate: {urlKey: link, data: {link: x}} | spec.secretTemplate.data may not write the URL's own key (urlKey)
          """)
  void aBadSpecIsRefusedAtCreateWithTheCrdsMessage(String fields, String message) throws Exception {
    api.createNamespace("refused");
    Map<String, Object> spec = new HashMap<>(validSpec());
    spec.putAll(YAML.readValue(fields.startsWith("{") ? fields : "{" + fields + "}", Map.class));

    assertThatThrownBy(() -> admin.resource(link("refused", "bad", spec, Map.of())).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            refusal -> {
              assertThat(refusal.getCode()).isEqualTo(422);
              assertThat(refusal.getStatus().getMessage()).contains(message);
            });
  }

  /** Specs at the edges of the rules, as YAML fields added to a minimal one: stored as they are. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "bucket: acme.shared",
        "{bucket: a1b, key: x}",
        "expiresIn: 1m",
        "expiresIn: 168h",
        "{expiresIn: 1h30m, renewBefore: 20m}",
        "{versionId: v1, responseHeaders: {contentDisposition: inline}}",
        "{method: PUT, contentType: text/csv}",
        "{method: POST, key: 'in/${filename}', upload: {maxSize: 10Mi, minSize: 1,"
            + " contentType: image/, successActionStatus: 201}}",
        "{method: POST, upload: {maxSize: 5Gi}}",
        "{method: POST, upload: {maxSize: 1048576, minSize: 1048576}}",
        "credentials: {serviceAccountName: reader}",
        "credentials: {secretRef: {name: keys}}",
        "secretTemplate: {urlKey: link, data: {url.txt: '{{ url }}', .env: 'URL={{ url }}'}}"
      })
  void aSpecWithinTheRulesIsAccepted(String fields) throws Exception {
    api.createNamespace("accepted");
    Map<String, Object> spec = new HashMap<>(validSpec());
    spec.putAll(YAML.readValue(fields.startsWith("{") ? fields : "{" + fields + "}", Map.class));
    // Labelled so that the operator leaves them alone: only the server's verdict matters here.
    GenericKubernetesResource link =
        link("accepted", "ok-" + ACCEPTED.incrementAndGet(), spec, Map.of(HIDDEN, "true"));

    assertThat(admin.resource(link).create().getAdditionalProperties().get("spec"))
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsAllEntriesOf(spec);
  }

  @Test
  void moreTemplatesThanAllowedOrALongerOneAreRefusedAtCreate() {
    api.createNamespace("refused-templates");
    Map<String, String> seventeen = new HashMap<>();
    for (int i = 0; i < 17; i++) {
      seventeen.put("key-" + i, "{{ url }}");
    }
    String tooLong = "x".repeat(16385);
    Map<String, String> longest = new HashMap<>(seventeen);
    longest.keySet().removeIf(key -> !key.equals("key-1"));
    longest.put("key-2", tooLong.substring(1));

    assertThat(refusal("refused-templates", "many", seventeen))
        .contains("spec.secretTemplate.data: Too many: 17: must have at most 16 items");
    assertThat(refusal("refused-templates", "long", Map.of("long.txt", tooLong)))
        .contains("spec.secretTemplate.data: each template is at most 16384 characters");
    assertThat(
            admin
                .resource(
                    link(
                        "refused-templates", "longest", templated(longest), Map.of(HIDDEN, "true")))
                .create())
        .as("16384 characters are taken")
        .isNotNull();
  }

  /**
   * A rendered JSON key that Jackson reads, whose URL downloads the object; a rotation writes every
   * key with the new URL in one Secret revision: a watch of the Secret never sees a revision with a
   * new URL beside an old rendered key.
   */
  @Test
  void renderedKeysHoldTheUrlAndEachRotationWritesThemWithItInOneRevision() throws Exception {
    String namespace = "templated";
    s3.createBucket("templated");
    s3.putObject("templated", "q3.csv", REPORT);
    api.createNamespace(namespace);
    Links links = new Links(admin, namespace, s3.endpoint());
    links.create(
        "report",
        "templated",
        "q3.csv",
        spec ->
            spec.setSecretTemplate(
                template(
                    Map.of(
                        "config.json",
                        CONFIG_JSON,
                        "download.sh",
                        "curl -fsS -o q3.csv {{#shell}}{{ url }}{{/shell}}"))));
    String url = links.awaitUrl("report");

    Secret secret = links.secret("report");
    JsonNode config = JSON.readTree(Links.data(secret, "config.json"));
    assertThat(config.get("reportUrl").asText()).isEqualTo(url);
    assertThat(config.get("validUntil").asText()).isEqualTo(Links.data(secret, "expiresAt"));
    assertThat(config.get("object").asText()).isEqualTo("templated/q3.csv");
    assertThat(Http.get(config.get("reportUrl").asText()).body()).isEqualTo(REPORT);
    assertThat(Links.data(secret, "download.sh")).isEqualTo("curl -fsS -o q3.csv '" + url + "'");

    // Every revision of the Secret after the one read above.
    List<Secret> revisions = new CopyOnWriteArrayList<>();
    ListOptions after =
        new ListOptionsBuilder()
            .withResourceVersion(secret.getMetadata().getResourceVersion())
            .build();
    try (Watch watch =
        admin
            .secrets()
            .inNamespace(namespace)
            .withName("report")
            .watch(after, recording(revisions))) {
      links.annotate("report", "presign.dev/rotate-requested-at", "2026-12-07T14:00:00Z");
      String next = links.awaitNextUrl("report", url, Duration.ofSeconds(30));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(revisions).anyMatch(r -> Links.data(r, "url").equals(next)));
      assertThat(revisions)
          .allSatisfy(
              revision -> {
                String held = Links.data(revision, "url");
                assertThat(
                        JSON.readTree(Links.data(revision, "config.json"))
                            .get("reportUrl")
                            .asText())
                    .isEqualTo(held);
                assertThat(Links.data(revision, "download.sh")).contains("'" + held + "'");
              });
      assertThat(Http.get(next).body()).isEqualTo(REPORT);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(links.get("report").getStatus().getRotations()).isEqualTo(2L));
  }

  /**
   * A template that does not parse is InvalidSpec, named with its key, line and column; the URL in
   * hand stays. Mended, the link is Ready again with that same URL.
   */
  @Test
  void aBrokenTemplateIsNamedInTheConditionAndTheUrlStays() {
    Links links = templatedLink("broken");
    String url = links.awaitUrl("report");

    links.edit(
        "report",
        spec ->
            spec.getSecretTemplate().getData().put("config.json", "{\n  \"u\": \"{{ ur }}\"\n}"));
    Condition invalid = links.awaitReason("report", "InvalidSpec");
    assertThat(invalid.getStatus()).isEqualTo("False");
    assertThat(invalid.getMessage())
        .startsWith(
            "spec.secretTemplate.data[config.json]: line 2, column 9: unknown value 'ur'; a"
                + " template may use url, expiresAt");
    assertThat(links.condition("report", "Stalled"))
        .hasValueSatisfying(stalled -> assertThat(stalled.getStatus()).isEqualTo("True"));
    assertThat(links.url("report")).as("the URL in hand stays").isEqualTo(url);
    assertThat(Http.get(url).body()).isEqualTo(REPORT);

    links.edit(
        "report", spec -> spec.getSecretTemplate().getData().put("config.json", CONFIG_JSON));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(links.ready("report"))
                    .hasValueSatisfying(ready -> assertThat(ready.getStatus()).isEqualTo("True")));
    assertThat(links.url("report")).isEqualTo(url);
    assertThat(links.get("report").getStatus().getRotations()).isEqualTo(1L);
  }

  /**
   * A rendered key edited by hand is rendered back from the URL in hand, which is not re-signed.
   */
  @Test
  void anEditedRenderedKeyIsRestoredWithoutANewSignature() throws Exception {
    Links links = templatedLink("edited");
    String url = links.awaitUrl("report");
    Map<String, String> record = links.secret("report").getMetadata().getAnnotations();

    links.editSecret(
        "report",
        secret -> {
          secret.getData().put("config.json", b64("{\"reportUrl\": \"https://example.com/x\"}"));
          return secret;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(Links.data(links.secret("report"), "config.json")).contains(url));

    Secret restored = links.secret("report");
    assertThat(Links.data(restored, "url")).isEqualTo(url);
    assertThat(restored.getMetadata().getAnnotations())
        .containsEntry("presign.dev/url-digest", record.get("presign.dev/url-digest"))
        .containsEntry("presign.dev/rotations", "1")
        .containsEntry("presign.dev/issued-at", record.get("presign.dev/issued-at"));
    assertThat(JSON.readTree(Links.data(restored, "config.json")).get("reportUrl").asText())
        .isEqualTo(url);
  }

  /**
   * A template changed, one added and one removed: the Secret is rendered anew for the new
   * generation from the URL in hand; no new URL, no rotation counted, no Rotated event, no restart
   * of the restart target.
   */
  @Test
  void aTemplateChangeIsAppliedWithoutANewUrl() {
    api.createNamespace("changed");
    admin.resource(Workloads.deployment("changed", "reader", "report")).create();
    RestartTarget reader = new RestartTarget();
    reader.setKind(RestartTarget.Kind.Deployment);
    reader.setName("reader");
    Links links = templatedLink("changed", spec -> spec.setRestartTargets(List.of(reader)));
    String url = links.awaitUrl("report");
    Optional<String> restartedAt = Workloads.restartedAt(admin, "changed", "reader");

    links.edit(
        "report",
        spec ->
            spec.getSecretTemplate()
                .setData(
                    Map.of(
                        "download.env", "REPORT_URL={{#shell}}{{ url }}{{/shell}}",
                        "expiry.txt", "{{ expiresAt }}")));
    long generation = links.get("report").getMetadata().getGeneration();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(links.secret("report").getData())
                    .containsKey("download.env")
                    .doesNotContainKey("config.json"));

    Secret secret = links.secret("report");
    assertThat(Links.data(secret, "url")).as("the same URL").isEqualTo(url);
    assertThat(Links.data(secret, "download.env")).isEqualTo("REPORT_URL='" + url + "'");
    assertThat(Links.data(secret, "expiry.txt")).isEqualTo(Links.data(secret, "expiresAt"));
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry("presign.dev/generation", Long.toString(generation))
        .containsEntry("presign.dev/rotations", "1");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(links.get("report").getStatus().getObservedGeneration())
                    .isEqualTo(generation));
    assertThat(links.get("report").getStatus().getRotations()).isEqualTo(1L);
    assertThat(links.ready("report"))
        .hasValueSatisfying(
            ready -> {
              assertThat(ready.getStatus()).isEqualTo("True");
              assertThat(ready.getReason()).isEqualTo("Issued");
            });
    assertThat(
            admin.v1().events().inNamespace("changed").list().getItems().stream()
                .map(Event::getReason))
        .doesNotContain("Rotated");
    assertThat(Workloads.restartedAt(admin, "changed", "reader")).isEqualTo(restartedAt);
  }

  private static final String CONFIG_JSON =
      "{\"reportUrl\": {{#json}}{{ url }}{{/json}}, \"validUntil\": \"{{ expiresAt }}\","
          + " \"object\": \"{{ bucket }}/{{ key }}\"}";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A GET link "report" in its own namespace, with a config.json template. */
  private Links templatedLink(String namespace) {
    return templatedLink(namespace, spec -> {});
  }

  private Links templatedLink(String namespace, Consumer<PresignedObjectLinkSpec> customize) {
    s3.createBucket(namespace);
    s3.putObject(namespace, "q3.csv", REPORT);
    api.createNamespace(namespace);
    Links links = new Links(admin, namespace, s3.endpoint());
    links.create(
        "report",
        namespace,
        "q3.csv",
        spec -> {
          spec.setSecretTemplate(template(Map.of("config.json", CONFIG_JSON)));
          customize.accept(spec);
        });
    return links;
  }

  private static SecretTemplate template(Map<String, String> data) {
    SecretTemplate template = new SecretTemplate();
    template.setData(new HashMap<>(data));
    return template;
  }

  private static Map<String, Object> templated(Map<String, String> data) {
    Map<String, Object> spec = new HashMap<>(validSpec());
    spec.put("secretTemplate", Map.of("data", data));
    return spec;
  }

  private String refusal(String namespace, String name, Map<String, String> data) {
    try {
      admin.resource(link(namespace, name, templated(data), Map.of(HIDDEN, "true"))).create();
    } catch (KubernetesClientException refusal) {
      assertThat(refusal.getCode()).isEqualTo(422);
      return refusal.getStatus().getMessage();
    }
    throw new AssertionError("the API server took " + name);
  }

  private static Watcher<Secret> recording(List<Secret> revisions) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Secret secret) {
        revisions.add(secret);
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A link stored while an older, looser CRD was installed, then read under the current one: the
   * operator names it InvalidSpec, and the server takes that status write although the stored spec
   * breaks the current schema (validation ratcheting leaves unchanged fields alone).
   */
  @Test
  void aLinkStoredUnderALooserSchemaIsInvalidSpecAndItsStatusIsAccepted() {
    String namespace = "looser";
    api.createNamespace(namespace);
    GenericKubernetesResource old =
        link(
            namespace,
            "old",
            Map.of("bucket", "old-reports", "key", "old.csv", "expiresIn", "30s"),
            Map.of(HIDDEN, "true"));
    GenericKubernetesResource probe =
        link(namespace, "probe", Map.of("bucket", "b-b", "key", "k", "expiresIn", "30s"), Map.of());
    api.installCrd(relaxed(InstallCrd.crd()));
    try {
      // A changed CRD reaches the server's handler shortly after it is established.
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptionsMatching(refusal -> refused(refusal))
          .until(() -> admin.resource(old).create() != null);
    } finally {
      api.installCrd(InstallCrd.crd());
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .alias("the current CRD is in force")
        .until(
            () -> {
              try {
                admin.resource(probe).create();
                admin.resource(probe).withGracePeriod(0).delete();
                return false;
              } catch (KubernetesClientException refusal) {
                return refused(refusal);
              }
            });

    // The operator sees the link once the label that hid it goes (a metadata-only change).
    admin
        .genericKubernetesResources("presign.dev/v1alpha1", "PresignedObjectLink")
        .inNamespace(namespace)
        .withName("old")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"" + HIDDEN + "\":null}}}");

    Links links = new Links(admin, namespace, s3.endpoint());
    Condition invalid = links.awaitReason("old", "InvalidSpec");
    assertThat(invalid.getStatus()).isEqualTo("False");
    assertThat(invalid.getMessage()).contains("spec.expiresIn");
    assertThat(links.condition("old", "Stalled"))
        .hasValueSatisfying(stalled -> assertThat(stalled.getStatus()).isEqualTo("True"));
    assertThat(links.secret("old")).as("no Secret for an invalid link").isNull();
  }

  private static boolean refused(Throwable failure) {
    return failure instanceof KubernetesClientException refusal && refusal.getCode() == 422;
  }

  private static Map<String, Object> validSpec() {
    return Map.of("bucket", "reports", "key", "a.csv");
  }

  private static GenericKubernetesResource link(
      String namespace, String name, Map<String, Object> spec, Map<String, String> labels) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("presign.dev/v1alpha1")
        .withKind("PresignedObjectLink")
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  /**
   * The CRD with the bounds, patterns, enums and CEL rules of its schema taken out, as an older
   * release with a looser schema would have had it.
   */
  @SuppressWarnings("unchecked")
  private static CustomResourceDefinition relaxed(CustomResourceDefinition crd) {
    Map<String, Object> tree = Serialization.unmarshal(Serialization.asJson(crd), Map.class);
    strip(tree);
    return Serialization.unmarshal(Serialization.asJson(tree), CustomResourceDefinition.class);
  }

  private static final Set<String> CONSTRAINTS =
      Set.of(
          "x-kubernetes-validations",
          "pattern",
          "enum",
          "minLength",
          "maxLength",
          "minimum",
          "maximum");

  @SuppressWarnings("unchecked")
  private static void strip(Object node) {
    if (node instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).keySet().removeIf(CONSTRAINTS::contains);
      map.values().forEach(LinksOnRealApiServerIT::strip);
    } else if (node instanceof List<?> list) {
      list.forEach(LinksOnRealApiServerIT::strip);
    }
  }
}

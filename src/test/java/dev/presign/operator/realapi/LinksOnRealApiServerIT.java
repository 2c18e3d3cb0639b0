package dev.presign.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.InstallCrd;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
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
        "credentials: {secretRef: {name: keys}}"
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

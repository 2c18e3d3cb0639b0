package dev.presign.operator.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.presign.operator.health.HealthRules;
import dev.presign.operator.health.HealthRules.ArgoHealth;
import dev.presign.operator.health.HealthRules.KStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a real API server can hold for this kind, and refuse, and how the operator takes it (issue
 * 10, DESIGN R8): links stored under a looser schema - before the operator starts and while it runs
 * - never stop its watch; each gets InvalidSpec naming the field while other links work; refused
 * Secret writes have a name, an event and one log line; and the statuses read right to kstatus and
 * to the Argo CD health check the chart ships.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = MalformedLinksIT.StoredBeforeStart.class)
@WithTestResource(S3ProxyResource.class)
class MalformedLinksIT {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final String FORBIDDEN =
      "cannot set blockOwnerDeletion if an ownerReference"
          + " refers to a resource you can't set finalizers on";

  /** Every log record while the tests run. */
  private static final List<LogRecord> LOGGED = new CopyOnWriteArrayList<>();

  private static final Handler LOG_CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          LOGGED.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @Inject KubernetesClient client;

  /**
   * Links that the API server held before the operator started, as after a CRD upgrade; and the
   * refusals of a cluster whose admission rejects the operator's Secrets.
   */
  public static class StoredBeforeStart implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
      InstallCrd.into(server.getClient());
      store(server.getClient(), "stored", "lowercase-method", "{\"method\": \"get\"}");
      store(
          server.getClient(),
          "stored",
          "pod-target",
          "{\"restartTargets\": [{\"kind\": \"Pod\", \"name\": \"web\"}]}");
      store(server.getClient(), "stored", "number-lifetime", "{\"expiresIn\": 3600}");
      store(server.getClient(), "stored", "fine", "{}");
      refuseSecretCreation(
          server, "forbidden", 403, "Forbidden", "secrets \"refused\" is forbidden: " + FORBIDDEN);
      refuseSecretCreation(
          server,
          "unprocessable",
          422,
          "Invalid",
          "Secret \"refused\" is invalid: data: Too long: must have at most 1048576 bytes");
    }
  }

  @BeforeAll
  static void captureLogs() {
    LOG_CAPTURE.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(LOG_CAPTURE);
  }

  @AfterAll
  static void stopCapturingLogs() {
    Logger.getLogger("").removeHandler(LOG_CAPTURE);
  }

  private Links links(String namespace) {
    return new Links(client, namespace, S3ProxyResource.server().endpoint());
  }

  @Test
  void linksStoredBeforeTheStartAreInvalidSpecAndTheOperatorServes() {
    Links stored = links("stored");

    assertThat(stored.awaitReason("lowercase-method", "InvalidSpec").getMessage())
        .isEqualTo("spec.method: 'get' is not GET, PUT or POST");
    assertThat(stored.awaitReason("pod-target", "InvalidSpec").getMessage())
        .isEqualTo(
            "spec.restartTargets[0].kind: 'Pod' is not Deployment, StatefulSet or DaemonSet");
    assertThat(stored.awaitReason("number-lifetime", "InvalidSpec").getMessage())
        .isEqualTo("spec.expiresIn: expected a string, got a number (3600)");
    assertThat(stored.awaitReason("fine", "Issued").getStatus()).isEqualTo("True");
    probesAreUp();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          method-lowercase | {"method": "get"}                                                | spec.method: 'get' is not GET, PUT or POST
          method-delete    | {"method": "DELETE"}                                             | spec.method: 'DELETE' is not GET, PUT or POST
          target-pod       | {"restartTargets": [{"kind": "Pod", "name": "web"}]}            | spec.restartTargets[0].kind: 'Pod' is not Deployment, StatefulSet or DaemonSet
          expires-number   | {"expiresIn": 3600}                                              | spec.expiresIn: expected a string, got a number (3600)
          renew-number     | {"renewBefore": 600}                                             | spec.renewBefore: expected a string, got a number (600)
          bucket-list      | {"bucket": ["reports", "archive"]}                               | spec.bucket: expected a string, got a list
          key-object       | {"key": {"path": "a.txt"}}                                       | spec.key: expected a string, got an object
          label-key        | {"secretTemplate": {"labels": {"team name": "x"}}}               | spec.secretTemplate.labels[team name]: key 'team name' is invalid
          label-value      | {"secretTemplate": {"labels": {"team": "a b"}}}                  | spec.secretTemplate.labels[team]: value 'a b' is invalid
          annotation-key   | {"secretTemplate": {"annotations": {"-x/y": "z"}}}               | spec.secretTemplate.annotations[-x/y]: key '-x/y' has an invalid prefix
          annotation-value | {"secretTemplate": {"annotations": {"note": 42}}}                | spec.secretTemplate.annotations[note]: expected a string, got a number (42)
          target-name      | {"restartTargets": [{"kind": "Deployment", "name": "Web_1"}]}   | spec.restartTargets[0].name: 'Web_1' is not a valid name
          """)
  void malformedLinkGetsInvalidSpecNamingItsFieldAndTheNextLinkWorks(
      String name, String fields, String message) {
    Links malformed = links("malformed");
    store(client, "malformed", name, fields);

    Condition ready = malformed.awaitReason(name, "InvalidSpec");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).startsWith(message);
    assertThat(malformed.secret(name)).isNull();
    assertThat(malformed.awaitWarnings(name)).contains("InvalidSpec");

    store(client, "malformed", name + "-next", "{\"key\": \"a.txt\"}");
    assertThat(malformed.awaitReason(name + "-next", "Issued").getStatus()).isEqualTo("True");
    probesAreUp();
  }

  @Test
  void unknownFieldsAreAcceptedAndIgnored() {
    store(client, "malformed", "unknown-fields", "{\"colour\": \"blue\", \"retries\": [1, 2]}");

    assertThat(links("malformed").awaitReason("unknown-fields", "Issued").getStatus())
        .isEqualTo("True");
  }

  @ParameterizedTest(name = "HTTP {1}")
  @CsvSource({"forbidden, 403, " + FORBIDDEN, "unprocessable, 422, must have at most 1048576"})
  void refusedSecretWriteIsNamedWithTheServersMessageInOneLogLine(
      String namespace, int code, String serverMessage) {
    store(client, namespace, "refused", "{}");

    Condition ready = links(namespace).awaitReason("refused", "SecretWriteFailed");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage())
        .contains("create Secret " + namespace + "/refused (HTTP " + code + ")")
        .contains(serverMessage);
    assertThat(links(namespace).condition("refused", "Reconciling").orElseThrow().getStatus())
        .isEqualTo("True");
    assertThat(links(namespace).condition("refused", "Stalled").orElseThrow().getStatus())
        .isEqualTo("False");
    assertThat(links(namespace).awaitWarnings("refused")).contains("SecretWriteFailed");
    List<LogRecord> failures =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> logged(namespace + "/refused: SecretWriteFailed"), l -> !l.isEmpty());
    assertThat(failures)
        .allSatisfy(
            record -> {
              assertThat(record.getThrown()).as("a stack trace").isNull();
              assertThat(record.getMessage()).doesNotContain("\n").contains(serverMessage);
            });
    assertThat(LOGGED)
        .as("no stack trace of a refused Secret at any level shown")
        .noneMatch(
            record ->
                record.getThrown() != null
                    && String.valueOf(record.getThrown().getMessage()).contains(serverMessage));
  }

  @Test
  void kstatusAndArgoCdReadTheStatusesTheOperatorWrites() {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace("health")
                .withName("taken")
                .endMetadata()
                .build())
        .create();
    store(client, "health", "issued", "{}");
    store(client, "health", "invalid", "{\"method\": \"get\"}");
    store(client, "health", "conflict", "{\"secretTemplate\": {\"name\": \"taken\"}}");
    store(client, "forbidden", "transient", "{}");
    links("health").awaitReason("issued", "Issued");
    links("health").awaitReason("invalid", "InvalidSpec");
    links("health").awaitReason("conflict", "SecretConflict");
    links("forbidden").awaitReason("transient", "SecretWriteFailed");

    GenericKubernetesResource issued = raw("health", "issued");
    assertThat(HealthRules.kstatus(issued)).isEqualTo(KStatus.Current);
    assertThat(HealthRules.argoCd(issued).status()).isEqualTo("Healthy");
    for (String failed : List.of("invalid", "conflict")) {
      GenericKubernetesResource link = raw("health", failed);
      assertThat(HealthRules.kstatus(link)).as(failed).isEqualTo(KStatus.Failed);
      ArgoHealth health = HealthRules.argoCd(link);
      assertThat(health.status()).as(failed).isEqualTo("Degraded");
      assertThat(health.message())
          .startsWith(failed.equals("invalid") ? "InvalidSpec: spec.method" : "SecretConflict: ");
    }
    GenericKubernetesResource retried = raw("forbidden", "transient");
    assertThat(HealthRules.kstatus(retried)).isEqualTo(KStatus.InProgress);
    assertThat(HealthRules.argoCd(retried).status()).isEqualTo("Progressing");

    // A spec the operator has not seen yet, and a link being deleted, are in progress too.
    issued.getMetadata().setGeneration(issued.getMetadata().getGeneration() + 1);
    assertThat(HealthRules.kstatus(issued)).isEqualTo(KStatus.InProgress);
    assertThat(HealthRules.argoCd(issued).status()).isEqualTo("Progressing");
    GenericKubernetesResource deleting = raw("health", "issued");
    deleting.getMetadata().setDeletionTimestamp("2026-12-01T00:00:00Z");
    assertThat(HealthRules.kstatus(deleting)).isEqualTo(KStatus.Terminating);
    assertThat(HealthRules.argoCd(deleting).status()).isEqualTo("Progressing");
  }

  private static void probesAreUp() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  /**
   * Stores a link as raw JSON, as an API server with a looser schema would have kept it: {@code
   * fields} replace those of a valid GET link to an S3-compatible endpoint.
   */
  static void store(KubernetesClient client, String namespace, String name, String fields) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("bucket", "reports");
    spec.put("key", "a.txt");
    spec.put("endpoint", "http://127.0.0.1:9");
    spec.put("forcePathStyle", true);
    spec.putAll(JSON.unmarshal(fields, Map.class));
    GenericKubernetesResource link = new GenericKubernetesResource();
    link.setApiVersion("presign.dev/v1alpha1");
    link.setKind("PresignedObjectLink");
    link.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .build());
    link.setAdditionalProperty("spec", spec);
    client.resource(link).create();
  }

  private static void refuseSecretCreation(
      KubernetesServer server, String namespace, int code, String reason, String message) {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + namespace + "/secrets")
        .andReturn(
            code,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build())
        .always();
  }

  private GenericKubernetesResource raw(String namespace, String name) {
    return client
        .genericKubernetesResources("presign.dev/v1alpha1", "PresignedObjectLink")
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  private static List<LogRecord> logged(String start) {
    return LOGGED.stream()
        .filter(record -> record.getLevel().intValue() >= Level.WARNING.intValue())
        .filter(record -> formatted(record).startsWith(start))
        .toList();
  }

  private static String formatted(LogRecord record) {
    return record.getParameters() == null
        ? record.getMessage()
        : String.format(record.getMessage(), record.getParameters());
  }
}

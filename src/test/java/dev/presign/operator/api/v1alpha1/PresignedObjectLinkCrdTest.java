package dev.presign.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.presign.operator.it.InstallCrd;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRD as the API server sees it: its schema limits and its CEL rules, evaluated with
 * cel-java, decide what {@code kubectl apply} accepts.
 */
class PresignedObjectLinkCrdTest {

  private static final CustomResourceDefinition CRD = InstallCrd.crd();
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .addVar("self", SimpleType.DYN)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private static CustomResourceDefinitionVersion version() {
    return CRD.getSpec().getVersions().get(0);
  }

  private static JSONSchemaProps spec() {
    return version().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  private static JSONSchemaProps field(String name) {
    return spec().getProperties().get(name);
  }

  @Test
  void namesAndPrinterColumns() {
    assertThat(CRD.getMetadata().getName()).isEqualTo("presignedobjectlinks.presign.dev");
    assertThat(CRD.getSpec().getNames().getShortNames()).contains("plink");
    assertThat(version().getName()).isEqualTo("v1alpha1");
    assertThat(version().getSubresources().getStatus()).isNotNull();
    assertThat(version().getAdditionalPrinterColumns())
        .extracting(column -> column.getName())
        .containsSubsequence("Bucket", "Key", "Method", "Ready", "Expires", "Renewal", "Age");
  }

  @Test
  void everyFieldIsDescribedForKubectlExplain() {
    List<String> undocumented = new ArrayList<>();
    undescribed("spec", spec(), undocumented);
    undescribed(
        "status",
        version().getSchema().getOpenAPIV3Schema().getProperties().get("status"),
        undocumented);
    assertThat(undocumented).isEmpty();
  }

  private static void undescribed(String path, JSONSchemaProps schema, List<String> found) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      found.add(path);
    }
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> undescribed(path + "." + name, child, found));
    }
    // Conditions are the standard Kubernetes Condition type, documented with the Kubernetes API.
    if (schema.getItems() != null
        && schema.getItems().getSchema() != null
        && !path.equals("status.conditions")) {
      JSONSchemaProps items = schema.getItems().getSchema();
      if (items.getProperties() != null) {
        items
            .getProperties()
            .forEach((name, child) -> undescribed(path + "[]." + name, child, found));
      }
    }
  }

  @Test
  void bucketFollowsS3NamingRules() {
    JSONSchemaProps bucket = field("bucket");
    assertThat(bucket.getMinLength()).isEqualTo(3L);
    assertThat(bucket.getMaxLength()).isEqualTo(63L);
    Pattern pattern = Pattern.compile(bucket.getPattern());
    assertThat(List.of("reports", "acme-shared.data", "a1b"))
        .allMatch(b -> pattern.matcher(b).matches());
    assertThat(List.of("Reports", "-reports", "reports-", "re_ports"))
        .noneMatch(b -> pattern.matcher(b).matches());
    assertThat(violations(bucket, "acme.shared")).isEmpty();
    assertThat(violations(bucket, "acme..shared")).singleElement().asString().contains("'..'");
    assertThat(violations(bucket, "192.168.1.10")).singleElement().asString().contains("IP");
  }

  @Test
  void keyIsOneTo1024Characters() {
    assertThat(field("key").getMinLength()).isEqualTo(1L);
    assertThat(field("key").getMaxLength()).isEqualTo(1024L);
  }

  @Test
  void methodIsGetOrPut() {
    assertThat(field("method").getEnum())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("\"GET\"", "\"PUT\"");
    assertThat(field("method").getDefault().asText()).isEqualTo("GET");
  }

  @Test
  void expiresInIsBetweenOneMinuteAnd168Hours() {
    JSONSchemaProps expiresIn = field("expiresIn");
    assertThat(violations(expiresIn, "1m")).isEmpty();
    assertThat(violations(expiresIn, "168h")).isEmpty();
    assertThat(violations(expiresIn, "1h30m")).isEmpty();
    assertThat(violations(expiresIn, "59s"))
        .containsExactly("spec.expiresIn must be between 1m and 168h");
    assertThat(violations(expiresIn, "168h1s"))
        .containsExactly("spec.expiresIn must be between 1m and 168h");
    assertThat(Pattern.compile(expiresIn.getPattern()).matcher("7d").matches()).isFalse();
  }

  @Test
  void credentialsTakeOneSource() {
    JSONSchemaProps credentials = field("credentials");
    assertThat(violations(credentials, Map.of("serviceAccountName", "reader"))).isEmpty();
    assertThat(
            violations(
                credentials,
                Map.of("serviceAccountName", "reader", "secretRef", Map.of("name", "keys"))))
        .singleElement()
        .asString()
        .contains("either serviceAccountName or secretRef");
  }

  static Stream<Arguments> specRules() {
    return Stream.of(
        Arguments.of(Map.of(), List.of()),
        Arguments.of(Map.of("expiresIn", "1h", "renewBefore", "20m"), List.of()),
        Arguments.of(
            Map.of("expiresIn", "1h", "renewBefore", "1h"),
            List.of("spec.renewBefore must be shorter than spec.expiresIn")),
        Arguments.of(
            Map.of("renewBefore", "2h"),
            List.of("spec.renewBefore must be shorter than spec.expiresIn")),
        Arguments.of(Map.of("versionId", "v1", "responseHeaders", Map.of()), List.of()),
        Arguments.of(
            Map.of("method", "PUT", "responseHeaders", Map.of("contentDisposition", "inline")),
            List.of("spec.responseHeaders applies to GET links only")),
        Arguments.of(
            Map.of("method", "PUT", "versionId", "v1"),
            List.of("spec.versionId applies to GET links only")),
        Arguments.of(Map.of("method", "PUT", "contentType", "text/csv"), List.of()),
        Arguments.of(
            Map.of("contentType", "text/csv"),
            List.of("spec.contentType applies to PUT links only")));
  }

  @ParameterizedTest
  @MethodSource("specRules")
  void specLevelRules(Map<String, Object> fields, List<String> expected) {
    Map<String, Object> link = new HashMap<>(Map.of("bucket", "reports", "key", "a.csv"));
    link.putAll(fields);
    assertThat(violations(spec(), withDefaults(link))).containsExactlyElementsOf(expected);
  }

  /** The API server fills in defaults before it evaluates the rules. */
  private static Map<String, Object> withDefaults(Map<String, Object> link) {
    spec()
        .getProperties()
        .forEach(
            (name, schema) -> {
              if (schema.getDefault() != null && !link.containsKey(name)) {
                link.put(name, schema.getDefault().asText());
              }
            });
    return link;
  }

  /** The messages of the rules of {@code schema} that {@code self} breaks. */
  private static List<String> violations(JSONSchemaProps schema, Object self) {
    List<String> broken = new ArrayList<>();
    for (ValidationRule rule : schema.getXKubernetesValidations()) {
      try {
        Object admitted =
            RUNTIME
                .createProgram(COMPILER.compile(rule.getRule()).getAst())
                .eval(Map.of("self", self));
        if (!Boolean.TRUE.equals(admitted)) {
          broken.add(rule.getMessage());
        }
      } catch (CelValidationException | CelEvaluationException e) {
        throw new AssertionError("rule does not evaluate: " + rule.getRule(), e);
      }
    }
    return broken;
  }
}

package dev.presign.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.ResponseHeaders;
import dev.presign.operator.api.v1alpha1.SecretKeysReference;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What slips past the CRD schema (an API server without CEL, an old CRD) still gets named. */
class LinkValidatorTest {

  private static PresignedObjectLink link(Consumer<PresignedObjectLinkSpec> customize) {
    PresignedObjectLinkSpec spec = new PresignedObjectLinkSpec();
    spec.setBucket("reports");
    spec.setKey("daily/latest.csv");
    customize.accept(spec);
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(new ObjectMetaBuilder().withName("report").withNamespace("team-a").build());
    link.setSpec(spec);
    return link;
  }

  @Test
  void appliesTheDocumentedDefaults() {
    ValidLink valid = LinkValidator.validate(link(spec -> {}));

    assertThat(valid.expiresIn()).isEqualTo(Duration.ofHours(1));
    assertThat(valid.renewBefore()).isEqualTo(Duration.ofMinutes(20));
    assertThat(valid.secret().name()).isEqualTo("report");
    assertThat(valid.secret().urlKey()).isEqualTo("url");
    assertThat(valid.request().method()).isEqualTo(HttpMethod.GET);
    assertThat(valid.request().region()).isEmpty();
    assertThat(valid.request().pathStyle()).isFalse();
    assertThat(valid.credentials()).isNull();
  }

  @Test
  void carriesEverySigningFieldThrough() {
    ValidLink valid =
        LinkValidator.validate(
            link(
                spec -> {
                  spec.setMethod(HttpMethod.PUT);
                  spec.setContentType("text/csv");
                  spec.setRegion("eu-west-1");
                  spec.setEndpoint("http://minio.storage:9000");
                  spec.setForcePathStyle(true);
                  spec.setExpiresIn("90m");
                  spec.setRenewBefore("30m");
                }));

    assertThat(valid.request().method()).isEqualTo(HttpMethod.PUT);
    assertThat(valid.request().contentType()).contains("text/csv");
    assertThat(valid.request().region()).contains("eu-west-1");
    assertThat(valid.request().endpoint()).contains(URI.create("http://minio.storage:9000"));
    assertThat(valid.request().pathStyle()).isTrue();
    assertThat(valid.expiresIn()).isEqualTo(Duration.ofMinutes(90));
    assertThat(valid.renewBefore()).isEqualTo(Duration.ofMinutes(30));
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of("spec.bucket", (Consumer<PresignedObjectLinkSpec>) s -> s.setBucket(null)),
        Arguments.of(
            "spec.bucket", (Consumer<PresignedObjectLinkSpec>) s -> s.setBucket("Reports")),
        Arguments.of("spec.bucket", (Consumer<PresignedObjectLinkSpec>) s -> s.setBucket("a..b")),
        Arguments.of(
            "spec.bucket", (Consumer<PresignedObjectLinkSpec>) s -> s.setBucket("10.0.0.1")),
        Arguments.of("spec.key", (Consumer<PresignedObjectLinkSpec>) s -> s.setKey("")),
        Arguments.of(
            "spec.key", (Consumer<PresignedObjectLinkSpec>) s -> s.setKey("é".repeat(513))),
        Arguments.of(
            "spec.expiresIn", (Consumer<PresignedObjectLinkSpec>) s -> s.setExpiresIn("30s")),
        Arguments.of(
            "spec.expiresIn", (Consumer<PresignedObjectLinkSpec>) s -> s.setExpiresIn("8d")),
        Arguments.of(
            "spec.expiresIn", (Consumer<PresignedObjectLinkSpec>) s -> s.setExpiresIn("169h")),
        Arguments.of(
            "spec.renewBefore", (Consumer<PresignedObjectLinkSpec>) s -> s.setRenewBefore("1h")),
        Arguments.of(
            "spec.renewBefore", (Consumer<PresignedObjectLinkSpec>) s -> s.setRenewBefore("0s")),
        Arguments.of(
            "spec.contentType", (Consumer<PresignedObjectLinkSpec>) s -> s.setContentType("a/b")),
        Arguments.of(
            "spec.versionId",
            (Consumer<PresignedObjectLinkSpec>)
                s -> {
                  s.setMethod(HttpMethod.PUT);
                  s.setVersionId("v1");
                }),
        Arguments.of(
            "spec.responseHeaders",
            (Consumer<PresignedObjectLinkSpec>)
                s -> {
                  s.setMethod(HttpMethod.PUT);
                  s.setResponseHeaders(new ResponseHeaders());
                }),
        Arguments.of(
            "spec.region", (Consumer<PresignedObjectLinkSpec>) s -> s.setRegion("EU West")),
        Arguments.of(
            "spec.endpoint",
            (Consumer<PresignedObjectLinkSpec>) s -> s.setEndpoint("ftp://files.example.com")),
        Arguments.of(
            "spec.credentials",
            (Consumer<PresignedObjectLinkSpec>)
                s -> {
                  LinkCredentials credentials = new LinkCredentials();
                  credentials.setServiceAccountName("reader");
                  SecretKeysReference ref = new SecretKeysReference();
                  ref.setName("keys");
                  credentials.setSecretRef(ref);
                  s.setCredentials(credentials);
                }),
        Arguments.of(
            "spec.secretTemplate.name",
            (Consumer<PresignedObjectLinkSpec>)
                s -> {
                  SecretTemplate template = new SecretTemplate();
                  template.setName("Not_A_Name");
                  s.setSecretTemplate(template);
                }),
        Arguments.of(
            "spec.secretTemplate.urlKey",
            (Consumer<PresignedObjectLinkSpec>)
                s -> {
                  SecretTemplate template = new SecretTemplate();
                  template.setUrlKey("url key");
                  s.setSecretTemplate(template);
                }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void namesTheFieldThatIsWrong(String field, Consumer<PresignedObjectLinkSpec> breakIt) {
    assertThatThrownBy(() -> LinkValidator.validate(link(breakIt)))
        .isInstanceOfSatisfying(
            InvalidSpecException.class, e -> assertThat(e.getMessage()).startsWith(field + ": "));
  }

  private static Consumer<PresignedObjectLinkSpec> templates(
      String urlKey, Map<String, String> data) {
    return spec -> {
      SecretTemplate template = new SecretTemplate();
      template.setUrlKey(urlKey);
      template.setData(data);
      spec.setSecretTemplate(template);
    };
  }

  @Test
  void parsesTheTemplatesOfTheSecretsData() {
    ValidLink valid =
        LinkValidator.validate(
            link(
                templates(
                    null,
                    Map.of("config.json", "{\"u\": \"{{ url }}\"}", "a.env", "B={{bucket}}"))));

    assertThat(valid.secret().data().keys()).containsExactly("a.env", "config.json");
  }

  /** What the CRD's CEL rules refuse at admission, named again for a link stored without them. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          url       | ''        | spec.secretTemplate.data[url]: is written by the operator (expiresAt, fields, method, url are reserved)
          fields    | ''        | spec.secretTemplate.data[fields]: is written by the operator
          link      | link      | spec.secretTemplate.data[link]: is written by the operator (expiresAt, fields, link, method, url are reserved)
          a/b.json  | ''        | spec.secretTemplate.data[a/b.json]: is not a Secret data key
          """)
  void aTemplateMayNotWriteAKeyOfTheOperatorsOrOneASecretCannotHold(
      String key, String urlKey, String message) {
    assertThatThrownBy(
            () ->
                LinkValidator.validate(
                    link(templates(urlKey.isEmpty() ? null : urlKey, Map.of(key, "{{ url }}")))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void aTemplateThatCannotBeRenderedIsInvalidSpecWithItsLineAndColumn() {
    assertThatThrownBy(
            () ->
                LinkValidator.validate(
                    link(
                        templates(
                            null, Map.of("config.json", "{\n \"p\": \"{{ fields.policy }}\"}")))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(
            "spec.secretTemplate.data[config.json]: line 2, column 8: 'fields.policy': only POST"
                + " links have form fields");
    assertThatThrownBy(
            () ->
                LinkValidator.validate(
                    link(templates(null, Map.of("long.txt", "x".repeat(16385))))))
        .hasMessage("spec.secretTemplate.data[long.txt]: is 16385 characters long; at most 16384");
  }

  @Test
  void theSignedSpecLeavesTheTemplatesOutAndNothingElse() {
    String plain = LinkValidator.validate(link(spec -> {})).signedSpec();
    assertThat(LinkValidator.validate(link(templates(null, Map.of("a", "{{url}}")))).signedSpec())
        .isEqualTo(plain)
        .isEqualTo(
            LinkValidator.validate(link(templates(null, Map.of("b", "{{key}}")))).signedSpec());
    assertThat(LinkValidator.validate(link(templates("link", Map.of("a", "{{url}}")))).signedSpec())
        .as("the URL's key is the Secret's, not the template's data")
        .isNotEqualTo(plain);
    assertThat(LinkValidator.validate(link(spec -> spec.setExpiresIn("2h"))).signedSpec())
        .isNotEqualTo(plain);
    assertThat(LinkValidator.validate(link(spec -> spec.setExpiresIn("1h"))).signedSpec())
        .as("a default written out is the same spec")
        .isEqualTo(plain);
  }
}

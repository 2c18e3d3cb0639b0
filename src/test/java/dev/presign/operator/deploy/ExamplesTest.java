package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.signing.UploadConditions;
import dev.presign.operator.template.TemplateValues;
import dev.presign.operator.validation.LinkValidator;
import dev.presign.operator.validation.ValidLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The links in deploy/examples are what the operator accepts, field for field. */
class ExamplesTest {

  private static final Path EXAMPLES = Manifests.DEPLOY.resolve("examples");
  // Unknown fields fail: a misspelt field in an example would be silently pruned by the API server.
  private static final ObjectMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @Test
  void getLinkAsksForADownloadIntoANamedSecret() throws IOException {
    ValidLink link = validLink("get-link.yaml");

    assertThat(link.request().method()).isEqualTo(HttpMethod.GET);
    assertThat(link.expiresIn()).hasHours(12);
    assertThat(link.secret().name()).isEqualTo("quarterly-report-link");
  }

  @Test
  void putLinkSignsTheContentTypeTheUploaderMustSend() throws IOException {
    ValidLink link = validLink("put-link.yaml");

    assertThat(link.request().method()).isEqualTo(HttpMethod.PUT);
    assertThat(link.request().contentType()).hasValue("application/json");
  }

  @Test
  void postLinkLimitsTheUploadsOfItsForm() throws IOException {
    ValidLink link = validLink("post-link.yaml");

    assertThat(link.request().method()).isEqualTo(HttpMethod.POST);
    assertThat(link.request().fixedKeyPart()).isEqualTo("incoming/");
    assertThat(link.request().upload())
        .hasValue(
            new UploadConditions(1, 10 * 1024 * 1024, Optional.of("image/"), Optional.of(201)));
  }

  @Test
  @SuppressWarnings("unchecked")
  void minioLinkUsesItsEndpointPathStyleAndKeysFromASecret() throws IOException {
    ValidLink link = validLink("minio-link.yaml");

    assertThat(link.request().endpoint())
        .hasValueSatisfying(uri -> assertThat(uri.getPort()).isEqualTo(9000));
    assertThat(link.request().pathStyle()).isTrue();
    assertThat(link.credentials().getSecretRef().getName()).isEqualTo("minio-keys");
    assertThat(documents("minio-link.yaml"))
        .anySatisfy(
            doc -> {
              assertThat(doc).containsEntry("kind", "Secret");
              assertThat((Map<String, Object>) doc.get("stringData"))
                  .containsOnlyKeys("accessKeyId", "secretAccessKey");
            });
  }

  @Test
  void templatedLinkRendersAJsonConfigAndAShellScriptBesideTheUrl() throws Exception {
    ValidLink link = validLink("templated-link.yaml");
    String url = "https://acme-reports.s3.example/exports/nightly.csv?X-Amz-Signature=f00d&a='b'";
    Instant issued = Instant.parse("2026-11-22T10:00:00Z");

    Map<String, String> rendered =
        link.secret()
            .data()
            .render(
                new TemplateValues(
                    url,
                    issued.plusSeconds(43200),
                    issued,
                    "GET",
                    link.request().bucket(),
                    link.request().key(),
                    "eu-west-1",
                    Map.of()),
                1024 * 1024);

    assertThat(rendered).containsOnlyKeys("config.json", "download.sh");
    JsonNode export = STRICT.readTree(rendered.get("config.json")).get("export");
    assertThat(export.get("url").asText()).isEqualTo(url);
    assertThat(export.get("validUntil").asText()).isEqualTo("2026-11-22T22:00:00Z");
    assertThat(export.get("object").asText()).isEqualTo("s3://acme-reports/exports/nightly.csv");
    assertThat(rendered.get("download.sh"))
        .endsWith(
            "exec curl -fsS -o /work/nightly.csv"
                + " 'https://acme-reports.s3.example/exports/nightly.csv?X-Amz-Signature=f00d&a='\\''b'\\'''\n");
  }

  private static ValidLink validLink(String file) throws IOException {
    return LinkValidator.validate(link(file));
  }

  private static PresignedObjectLink link(String file) throws IOException {
    Map<String, Object> document =
        documents(file).stream()
            .filter(doc -> "PresignedObjectLink".equals(doc.get("kind")))
            .findFirst()
            .orElseThrow();
    return STRICT.convertValue(document, PresignedObjectLink.class);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> documents(String file) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (var parser = yaml.createParser(Files.readString(EXAMPLES.resolve(file)))) {
      return yaml.readValues(parser, Map.class).readAll().stream()
          .map(doc -> (Map<String, Object>) doc)
          .toList();
    }
  }
}

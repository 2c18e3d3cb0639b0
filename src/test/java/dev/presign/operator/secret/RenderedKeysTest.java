package dev.presign.operator.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.validation.InvalidSpecException;
import dev.presign.operator.validation.LinkValidator;
import dev.presign.operator.validation.ValidLink;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RenderedKeysTest {

  private static final Instant ISSUED = Instant.parse("2026-11-22T10:00:00Z");
  private static final IssuedUrl ISSUED_URL =
      new IssuedUrl(
          1,
          ISSUED,
          ISSUED.plusSeconds(3600),
          ISSUED.plusSeconds(2400),
          Optional.empty(),
          1,
          "sha256:00",
          true,
          Optional.empty());
  private static final String URL =
      "https://s3.example/reports/q3.csv?X-Amz-Signature=" + "f".repeat(400);

  private static ValidLink link(Map<String, String> data) {
    PresignedObjectLinkSpec spec = new PresignedObjectLinkSpec();
    spec.setBucket("reports");
    spec.setKey("q3.csv");
    SecretTemplate template = new SecretTemplate();
    template.setData(data);
    spec.setSecretTemplate(template);
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(new ObjectMetaBuilder().withName("report").withNamespace("team").build());
    link.setSpec(spec);
    return LinkValidator.validate(link);
  }

  @Test
  void theTemplatesSeeTheUrlItsRecordTheRequestAndTheRegionItIsSignedFor() {
    assertThat(
            RenderedKeys.render(
                link(
                    Map.of(
                        "all.txt",
                        "{{method}} {{bucket}}/{{key}} {{region}} {{issuedAt}} {{expiresAt}} {{url}}")),
                URL,
                ISSUED_URL,
                "eu-west-1",
                Map.of(),
                List.of(URL)))
        .containsExactly(
            Map.entry(
                "all.txt",
                "GET reports/q3.csv eu-west-1 2026-11-22T10:00:00Z 2026-11-22T11:00:00Z " + URL));
  }

  @Test
  void aSecretOverTheApiServersLimitIsInvalidSpecBeforeItIsWritten() {
    // 16 templates of 16384 characters, each the URL about 2300 times: some 16 MiB in all.
    Map<String, String> data = new TreeMap<>();
    for (int i = 10; i < 26; i++) {
      data.put("copy-" + i, "{{url}}".repeat(16384 / 7));
    }
    assertThatThrownBy(
            () ->
                RenderedKeys.render(
                    link(data), URL, ISSUED_URL, "eu-west-1", Map.of(), List.of(URL)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(
            "spec.secretTemplate.data: the Secret would hold more than 1048576 bytes (1 MiB, what"
                + " the API server takes) once [copy-10] is rendered");
  }
}

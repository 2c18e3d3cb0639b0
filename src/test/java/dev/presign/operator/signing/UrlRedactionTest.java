package dev.presign.operator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlRedactionTest {

  private static final String URL =
      "https://reports.s3.eu-west-1.amazonaws.com/daily.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
          + "&X-Amz-Credential=ASIAEXAMPLE%2F20261122%2Feu-west-1%2Fs3%2Faws4_request"
          + "&X-Amz-Date=20261122T100000Z&X-Amz-Expires=3600"
          + "&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE"
          + "&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef";

  @Test
  void removesSignatureCredentialAndSessionToken() {
    String redacted = UrlRedaction.redact("signing failed for " + URL + ": denied");

    assertThat(redacted)
        .doesNotContain("0123456789abcdef", "ASIAEXAMPLE", "IQoJb3JpZ2luX2VjEXAMPLE")
        .contains("X-Amz-Signature=REDACTED", "X-Amz-Credential=REDACTED")
        .contains("X-Amz-Security-Token=REDACTED")
        .contains("X-Amz-Expires=3600", "daily.csv", ": denied");
  }

  @Test
  void leavesOtherTextAlone() {
    assertThat(UrlRedaction.redact("bucket reports not found"))
        .isEqualTo("bucket reports not found");
    assertThat(UrlRedaction.redact(null)).isNull();
  }

  @Test
  void digestTellsUrlsApartWithoutRevealingThem() {
    String digest = UrlRedaction.digest(URL);

    assertThat(digest).matches("sha256:[0-9a-f]{64}").doesNotContain("0123456789abcdef");
    assertThat(UrlRedaction.digest(URL)).isEqualTo(digest);
    assertThat(UrlRedaction.digest(URL + "0")).isNotEqualTo(digest);
  }
}

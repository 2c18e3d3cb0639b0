package dev.presign.operator.verification;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class UrlVerifierTest {

  /** S3 keeps connections open between requests; verifying link after link reuses one. */
  @Test
  void verificationsOneAfterAnotherShareAConnection() throws IOException {
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    HttpServer s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s3.createContext(
        "/",
        exchange -> {
          clientPorts.add(exchange.getRemoteAddress().getPort());
          exchange.getResponseHeaders().add("Content-Range", "bytes 0-0/1");
          exchange.sendResponseHeaders(206, 1);
          exchange.getResponseBody().write('x');
          exchange.close();
        });
    s3.start();
    try {
      UrlVerifier verifier = new UrlVerifier(Duration.ofSeconds(5));
      String url = "http://127.0.0.1:" + s3.getAddress().getPort() + "/bucket/";

      for (int i = 0; i < 5; i++) {
        assertThat(verifier.verify(url + i).verified()).isTrue();
      }

      assertThat(clientPorts).as("connections opened for 5 verifications").hasSize(1);
    } finally {
      s3.stop(0);
    }
  }

  @Test
  void aPartialOrFullAnswerVerifies() {
    assertThat(UrlVerifier.answer(206, "").verified()).isTrue();
    assertThat(UrlVerifier.answer(200, "").verified()).isTrue();
  }

  @Test
  void anEmptyObjectVerifiesThoughByteZeroIsOutOfRange() {
    String body = "<Error><Code>InvalidRange</Code><Message>range</Message></Error>";

    assertThat(UrlVerifier.answer(416, body).verified()).isTrue();
  }

  @Test
  void s3sErrorCodeAndMessageAreTheOutcome() {
    Verification missing =
        UrlVerifier.answer(
            404,
            "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code>"
                + "<Message>The specified key does not exist.</Message><Key>a.txt</Key></Error>");

    assertThat(missing.verified()).isFalse();
    assertThat(missing.code()).isEqualTo("NoSuchKey");
    assertThat(missing.reason()).isEqualTo("NoSuchKey");
    assertThat(missing.message()).isEqualTo("NoSuchKey: The specified key does not exist.");
    assertThat(missing.metricCode()).isEqualTo("NoSuchKey");
  }

  @Test
  void anAnswerWithoutAnErrorDocumentIsItsStatus() {
    Verification forbidden = UrlVerifier.answer(403, "");

    assertThat(forbidden.code()).isEqualTo("HTTP403");
    assertThat(forbidden.message()).isEqualTo("HTTP 403");
    assertThat(forbidden.metricCode()).isEqualTo("HTTP403");
  }

  @Test
  void codesBecomeValidReasonsAndUnknownOnesOneBoundedLabel() {
    Verification kms =
        UrlVerifier.answer(
            400, "<Error><Code>KMS.DisabledException</Code><Message>off</Message></Error>");
    Verification odd =
        UrlVerifier.answer(400, "<Error><Code>Made.Up-Code</Code><Message>x</Message></Error>");

    assertThat(kms.reason()).isEqualTo("KMS_DisabledException");
    assertThat(kms.metricCode()).isEqualTo("KMS.DisabledException");
    assertThat(odd.reason()).isEqualTo("Made_Up_Code");
    assertThat(odd.metricCode()).isEqualTo("Other");
  }

  @Test
  void aMessageQuotingAUrlIsRedacted() {
    Verification quoted =
        UrlVerifier.answer(
            403,
            "<Error><Code>AccessDenied</Code><Message>denied https://b.s3/a?X-Amz-Signature=abc"
                + "</Message></Error>");

    assertThat(quoted.message()).contains("X-Amz-Signature=REDACTED").doesNotContain("abc");
  }
}

package dev.presign.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The operator in-process on a real kube-apiserver: a link's URL, fetched through S3Proxy. */
@QuarkusTest
@WithTestResource(RealApiServerResource.class)
@WithTestResource(S3ProxyResource.class)
class RealApiLinkIT {

  private static final byte[] REPORT = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void aLinkCreatedOnARealApiServerHoldsAUrlThatDownloadsTheObject() {
    S3ProxyServer s3 = S3ProxyResource.server();
    s3.createBucket("real-reports");
    s3.putObject("real-reports", "daily.csv", REPORT);
    RealApiServer api = RealApiServerResource.server();
    api.createNamespace("team-real");
    Links links = new Links(api.client(), "team-real", s3.endpoint());

    links.create("report", "real-reports", "daily.csv", spec -> spec.setExpiresIn("1h"));
    String url = links.awaitUrl("report");

    Http.Response response = Http.get(url);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(REPORT);
  }
}

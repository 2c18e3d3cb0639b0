package dev.presign.operator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.ResponseHeaders;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** What goes into a URL; that S3 accepts it is shown against S3Proxy by LinkLifecycleIT. */
class UrlSignerTest {

  private static final AwsBasicCredentials KEYS =
      AwsBasicCredentials.create("AKIAEXAMPLE", "secret");

  private final UrlSigner signer = new UrlSigner(Optional.of("eu-central-1"), Clock.systemUTC());

  @AfterEach
  void close() {
    signer.close();
  }

  private static SigningRequest get(
      Optional<String> region, Optional<String> versionId, ResponseHeaders headers) {
    return new SigningRequest(
        "acme-reports",
        "reports/q3 final.pdf",
        HttpMethod.GET,
        region,
        Optional.empty(),
        false,
        versionId,
        headers,
        Optional.empty(),
        Optional.empty());
  }

  private static Map<String, String> query(String url) {
    return Arrays.stream(URI.create(url).getRawQuery().split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(
            Collectors.toMap(
                pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
  }

  @Test
  void getUrlCarriesVersionAndResponseOverrides() {
    ResponseHeaders headers = new ResponseHeaders();
    headers.setContentType("application/pdf");
    headers.setContentDisposition("attachment; filename=\"q3.pdf\"");
    headers.setCacheControl("no-store");

    String url =
        signer
            .sign(
                get(Optional.of("eu-west-1"), Optional.of("3HL4kq"), headers),
                KEYS,
                Duration.ofMinutes(15))
            .url();

    assertThat(URI.create(url).getHost()).isEqualTo("acme-reports.s3.eu-west-1.amazonaws.com");
    assertThat(URI.create(url).getRawPath()).isEqualTo("/reports/q3%20final.pdf");
    assertThat(query(url))
        .containsEntry("versionId", "3HL4kq")
        .containsEntry("response-content-type", "application/pdf")
        .containsEntry("response-content-disposition", "attachment; filename=\"q3.pdf\"")
        .containsEntry("response-cache-control", "no-store")
        .containsEntry("X-Amz-Expires", "900")
        .containsEntry("X-Amz-SignedHeaders", "host")
        .doesNotContainKey("X-Amz-Security-Token");
    assertThat(query(url).get("X-Amz-Credential"))
        .startsWith("AKIAEXAMPLE/")
        .contains("/eu-west-1/s3/");
  }

  @Test
  void regionComesFromTheConfigurationWhenTheLinkHasNone() {
    String url =
        signer.sign(get(Optional.empty(), Optional.empty(), null), KEYS, Duration.ofHours(1)).url();

    assertThat(query(url).get("X-Amz-Credential")).contains("/eu-central-1/s3/");
    assertThat(query(url)).doesNotContainKeys("versionId", "response-content-type");
  }

  @Test
  void putUrlSignsTheContentTypeOnAPathStyleEndpointWithASessionToken() {
    SigningRequest put =
        new SigningRequest(
            "uploads",
            "incoming/data.csv",
            HttpMethod.PUT,
            Optional.of("us-east-1"),
            Optional.of(URI.create("http://minio.storage:9000")),
            true,
            Optional.empty(),
            null,
            Optional.of("text/csv"),
            Optional.empty());

    String url =
        signer
            .sign(
                put,
                AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "token/+="),
                Duration.ofHours(2))
            .url();

    assertThat(url).startsWith("http://minio.storage:9000/uploads/incoming/data.csv?");
    assertThat(query(url))
        .containsEntry("X-Amz-SignedHeaders", "content-type;host")
        .containsEntry("X-Amz-Security-Token", "token/+=")
        .containsEntry("X-Amz-Expires", "7200");
  }

  @Test
  void signingTwiceGivesUrlsForTheSameObject() {
    SigningRequest request = get(Optional.of("eu-west-1"), Optional.empty(), null);
    SignedUrl first = signer.sign(request, KEYS, Duration.ofMinutes(5));
    SignedUrl second =
        signer.sign(
            request, AwsBasicCredentials.create("AKIAOTHER", "other"), Duration.ofMinutes(5));

    assertThat(URI.create(second.url()).getPath()).isEqualTo(URI.create(first.url()).getPath());
    assertThat(query(second.url()).get("X-Amz-Credential")).startsWith("AKIAOTHER/");
    assertThat(second.toString()).doesNotContain(query(second.url()).get("X-Amz-Signature"));
  }

  /**
   * A rotation must give a new URL (R10): signed in the same second as the URL it replaces, with
   * the same lifetime, SigV4 would give that very URL. The new one lasts a second less instead.
   */
  @Test
  void aUrlThatReplacesAnotherDiffersFromItEvenInTheSameSecond() {
    SigningRequest request = get(Optional.of("eu-west-1"), Optional.empty(), null);
    SignedUrl current = signer.sign(request, KEYS, Duration.ofMinutes(5));

    SignedUrl next =
        signer.sign(
            request, KEYS, Duration.ofMinutes(5), Optional.of(UrlRedaction.digest(current.url())));

    assertThat(next.url()).isNotEqualTo(current.url());
    assertThat(next.lifetime()).isIn(Duration.ofMinutes(5), Duration.ofMinutes(5).minusSeconds(1));
    assertThat(query(next.url()).get("X-Amz-Expires"))
        .isEqualTo(Long.toString(next.lifetime().toSeconds()));
  }

  /**
   * On a node without AWS_REGION and without presign.region, the SDK's region chain ends at the
   * instance metadata service, which answers in milliseconds on EC2 and times out elsewhere: it is
   * asked once, not for every URL.
   */
  private static SigningRequest post(Optional<String> endpoint, boolean pathStyle) {
    return new SigningRequest(
        "acme-uploads",
        "incoming/${filename}",
        HttpMethod.POST,
        Optional.empty(),
        endpoint.map(URI::create),
        pathStyle,
        Optional.empty(),
        null,
        Optional.empty(),
        Optional.of(new UploadConditions(0, 1024, Optional.empty(), Optional.empty())));
  }

  @Test
  void postFormIsSentToTheBucketAsGetAndPutUrlsAddressIt() {
    Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    SignedUrl virtualHosted = signer.sign(post(Optional.empty(), false), KEYS, Duration.ofHours(2));
    SignedUrl pathStyle =
        signer.sign(
            post(Optional.of("http://minio.storage:9000/s3"), true), KEYS, Duration.ofHours(2));

    assertThat(virtualHosted.url())
        .isEqualTo("https://acme-uploads.s3.eu-central-1.amazonaws.com/");
    assertThat(pathStyle.url()).isEqualTo("http://minio.storage:9000/s3/acme-uploads");
    assertThat(virtualHosted.fields().get("x-amz-credential"))
        .as("the region of the link, else the operator's")
        .matches("AKIAEXAMPLE/\\d{8}/eu-central-1/s3/aws4_request");
    assertThat(virtualHosted.expiresAt())
        .isBetween(before.plus(Duration.ofHours(2)), Instant.now().plus(Duration.ofHours(2)));
    assertThat(virtualHosted.toString())
        .doesNotContain(virtualHosted.fields().get("x-amz-signature"));
  }

  @Test
  void aFormThatReplacesAnotherDiffersFromItEvenInTheSameSecond() {
    Clock frozen = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    UrlSigner atOneInstant = new UrlSigner(Optional.of("eu-central-1"), frozen);
    try {
      SignedUrl first = atOneInstant.sign(post(Optional.empty(), false), KEYS, Duration.ofHours(1));
      SignedUrl again =
          atOneInstant.sign(
              post(Optional.empty(), false),
              KEYS,
              Duration.ofHours(1),
              Optional.of(first.digest()));

      assertThat(again.fields()).isNotEqualTo(first.fields());
      assertThat(again.digest()).isNotEqualTo(first.digest());
      assertThat(again.lifetime()).isEqualTo(Duration.ofHours(1).minusSeconds(1));
      assertThat(again.expiresAt()).isEqualTo(Instant.parse("2026-11-22T10:59:59Z"));
    } finally {
      atOneInstant.close();
    }
  }

  @Test
  void withoutAConfiguredRegionTheInstanceMetadataServiceIsAskedOnce(@TempDir Path home)
      throws Exception {
    assumeTrue(
        System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
        "the environment names a region: the chain would not reach the metadata service");
    AtomicInteger regionLookups = new AtomicInteger();
    HttpServer metadata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    metadata.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body =
              path.endsWith("/api/token")
                  ? "token".getBytes(StandardCharsets.UTF_8)
                  : "{\"region\": \"ap-southeast-2\"}".getBytes(StandardCharsets.UTF_8);
          if (path.endsWith("/instance-identity/document")) {
            regionLookups.incrementAndGet();
          }
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    metadata.start();
    Path emptyProfile = Files.createFile(home.resolve("config"));
    Map<String, String> settings =
        Map.of(
            "aws.ec2MetadataServiceEndpoint",
            "http://127.0.0.1:" + metadata.getAddress().getPort(),
            "aws.configFile",
            emptyProfile.toString(),
            "aws.sharedCredentialsFile",
            emptyProfile.toString());
    settings.forEach(System::setProperty);
    UrlSigner withoutRegion = new UrlSigner(Optional.empty(), Clock.systemUTC());
    try {
      for (int i = 0; i < 3; i++) {
        String url =
            withoutRegion
                .sign(get(Optional.empty(), Optional.empty(), null), KEYS, Duration.ofHours(1))
                .url();
        assertThat(query(url).get("X-Amz-Credential")).contains("/ap-southeast-2/s3/");
      }
      assertThat(regionLookups).hasValue(1);
    } finally {
      withoutRegion.close();
      settings.keySet().forEach(System::clearProperty);
      metadata.stop(0);
    }
  }
}

package dev.presign.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.signing.SignedUrl;
import dev.presign.operator.signing.SigningRequest;
import dev.presign.operator.signing.UploadConditions;
import dev.presign.operator.signing.UrlSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * POST forms the signer makes, used as an uploader would against S3Proxy 4.x, which checks the
 * policy's conditions (not the token, region or signing fields: PostPolicyTest covers those).
 */
class PostFormsIT {

  private static final String BUCKET = "acme-uploads";
  private static final AwsCredentials KEYS =
      AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY_ID, S3ProxyServer.SECRET_ACCESS_KEY);
  private static final UploadConditions IMAGES_UP_TO_1K =
      new UploadConditions(2, 1024, Optional.of("image/"), Optional.empty());

  private static S3ProxyServer s3;
  private final UrlSigner signer = new UrlSigner(Optional.empty(), Clock.systemUTC());

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start();
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @Test
  void uploadWithinEveryConditionIsStoredUnderTheFileName() {
    SignedUrl form = sign("incoming/${filename}", IMAGES_UP_TO_1K, KEYS);

    Http.Response answer = upload(form, Map.of("Content-Type", "image/png"), "cat.png", 100);

    assertThat(answer.status()).isEqualTo(204);
    assertThat(s3.getObject(BUCKET, "incoming/cat.png")).hasSize(100);
    assertThat(form.url()).isEqualTo(s3.endpoint() + "/" + BUCKET);
  }

  @Test
  void uploadLargerThanMaxSizeIsRefusedAsEntityTooLarge() {
    Http.Response answer =
        upload(
            sign("incoming/${filename}", IMAGES_UP_TO_1K, KEYS),
            Map.of("Content-Type", "image/png"),
            "big.png",
            1025);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text()).contains("EntityTooLarge");
  }

  @Test
  void uploadSmallerThanMinSizeIsRefusedAsEntityTooSmall() {
    Http.Response answer =
        upload(
            sign("incoming/${filename}", IMAGES_UP_TO_1K, KEYS),
            Map.of("Content-Type", "image/png"),
            "tiny.png",
            1);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text()).contains("EntityTooSmall");
  }

  @Test
  void keyOutsideThePrefixIsRefused() {
    Http.Response answer =
        upload(
            sign("incoming/${filename}", IMAGES_UP_TO_1K, KEYS),
            Map.of("key", "elsewhere/cat.png", "Content-Type", "image/png"),
            "cat.png",
            100);

    assertThat(answer.status()).isEqualTo(403);
  }

  @Test
  void contentTypeOutsideThePrefixIsRefused() {
    Http.Response answer =
        upload(
            sign("incoming/${filename}", IMAGES_UP_TO_1K, KEYS),
            Map.of("Content-Type", "text/html"),
            "cat.html",
            100);

    assertThat(answer.status()).isEqualTo(403);
  }

  @Test
  void expiredPolicyIsRefused() {
    UrlSigner anHourAgo =
        new UrlSigner(Optional.empty(), Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
    SignedUrl expired =
        anHourAgo.sign(request("incoming/${filename}", IMAGES_UP_TO_1K), KEYS, Duration.ofHours(1));

    Http.Response answer = upload(expired, Map.of("Content-Type", "image/png"), "cat.png", 100);

    assertThat(answer.status()).isEqualTo(403);
  }

  @Test
  void tamperedSignatureIsRefused() {
    SignedUrl form = sign("incoming/${filename}", IMAGES_UP_TO_1K, KEYS);
    String signature = form.fields().get("x-amz-signature");
    String tampered = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);

    Http.Response answer =
        upload(
            form, Map.of("Content-Type", "image/png", "x-amz-signature", tampered), "cat.png", 100);

    assertThat(answer.status()).isEqualTo(403);
  }

  @Test
  void exactKeyAndTypeFormFromSessionCredentialsUploadsAndAnswersTheSuccessStatus() {
    SignedUrl form =
        sign(
            "reports/q3.pdf",
            new UploadConditions(0, 1024, Optional.of("application/pdf"), Optional.of(201)),
            AwsSessionCredentials.create(
                S3ProxyServer.ACCESS_KEY_ID, S3ProxyServer.SECRET_ACCESS_KEY, "a-session-token"));

    Http.Response answer = upload(form, Map.of(), "anything.pdf", 10);

    assertThat(form.fields()).containsEntry("x-amz-security-token", "a-session-token");
    assertThat(answer.status()).isEqualTo(201);
    assertThat(s3.getObject(BUCKET, "reports/q3.pdf")).hasSize(10);
  }

  private SignedUrl sign(String key, UploadConditions upload, AwsCredentials credentials) {
    return signer.sign(request(key, upload), credentials, Duration.ofMinutes(10));
  }

  private static SigningRequest request(String key, UploadConditions upload) {
    return new SigningRequest(
        BUCKET,
        key,
        HttpMethod.POST,
        Optional.of(S3ProxyServer.REGION),
        Optional.of(s3.endpoint()),
        true,
        Optional.empty(),
        null,
        Optional.empty(),
        Optional.of(upload));
  }

  /** The form's fields with {@code changed} put in (or added before the file), then the file. */
  private static Http.Response upload(
      SignedUrl form, Map<String, String> changed, String fileName, int size) {
    Map<String, String> fields = new LinkedHashMap<>(form.fields());
    fields.putAll(changed);
    byte[] file = "x".repeat(size).getBytes(StandardCharsets.UTF_8);
    return Http.postForm(form.url(), fields, fileName, file);
  }
}

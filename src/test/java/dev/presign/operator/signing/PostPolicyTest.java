package dev.presign.operator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class PostPolicyTest {

  private static final AwsBasicCredentials EXAMPLE_KEYS =
      AwsBasicCredentials.create(
          "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

  /**
   * The policy of AWS's "Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version
   * 4)" (S3 API reference), with the CRLF line ends of its published base64 form.
   */
  private static final String AWS_EXAMPLE_POLICY =
      String.join(
          "\r\n",
          "{ \"expiration\": \"2015-12-30T12:00:00.000Z\",",
          "  \"conditions\": [",
          "    {\"bucket\": \"sigv4examplebucket\"},",
          "    [\"starts-with\", \"$key\", \"user/user1/\"],",
          "    {\"acl\": \"public-read\"},",
          "    {\"success_action_redirect\":"
              + " \"http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html\"},",
          "    [\"starts-with\", \"$Content-Type\", \"image/\"],",
          "    {\"x-amz-meta-uuid\": \"14365123651274\"},",
          "    {\"x-amz-server-side-encryption\": \"AES256\"},",
          "    [\"starts-with\", \"$x-amz-meta-tag\", \"\"],",
          "",
          "    {\"x-amz-credential\": \"AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request\"},",
          "    {\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"},",
          "    {\"x-amz-date\": \"20151229T000000Z\" }",
          "  ]",
          "}");

  /** The base64 policy as the example page prints it. */
  private static final String AWS_EXAMPLE_BASE64 =
      "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7"
          + "ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNl"
          + "ci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVk"
          + "aXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBs"
          + "b2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAg"
          + "eyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVu"
          + "Y3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0s"
          + "DQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFz"
          + "dC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYi"
          + "fSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";

  private static final Instant SIGNED_AT = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant EXPIRES_AT = Instant.parse("2026-11-22T11:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void signsAwsPublishedExamplePolicyToItsPublishedSignature() {
    String base64 =
        Base64.getEncoder().encodeToString(AWS_EXAMPLE_POLICY.getBytes(StandardCharsets.UTF_8));

    assertThat(base64).isEqualTo(AWS_EXAMPLE_BASE64);
    assertThat(
            PostPolicy.signature(
                EXAMPLE_KEYS.secretAccessKey(), "20151229", "us-east-1", AWS_EXAMPLE_BASE64))
        .isEqualTo("8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e");
  }

  @Test
  void policyLimitsBucketKeyPrefixSizeAndTypeAndNamesAlgorithmCredentialAndDate() {
    Map<String, String> fields =
        PostPolicy.fields(
            "acme-uploads",
            "incoming/${filename}",
            new UploadConditions(1, 10_485_760, Optional.of("image/"), Optional.empty()),
            EXAMPLE_KEYS,
            "eu-west-1",
            SIGNED_AT,
            EXPIRES_AT);

    assertThat(fields.keySet())
        .containsExactly(
            "key",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "policy",
            "x-amz-signature");
    assertThat(fields)
        .containsEntry("key", "incoming/${filename}")
        .containsEntry("x-amz-algorithm", "AWS4-HMAC-SHA256")
        .containsEntry(
            "x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20261122/eu-west-1/s3/aws4_request")
        .containsEntry("x-amz-date", "20261122T100000Z");
    JsonNode policy = decoded(fields.get("policy"));
    assertThat(policy.get("expiration").asText()).isEqualTo("2026-11-22T11:00:00.000Z");
    assertThat(policy.get("conditions").toString())
        .isEqualTo(
            "[{\"bucket\":\"acme-uploads\"},"
                + "[\"starts-with\",\"$key\",\"incoming/\"],"
                + "[\"content-length-range\",1,10485760],"
                + "[\"starts-with\",\"$Content-Type\",\"image/\"],"
                + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},"
                + "{\"x-amz-credential\":"
                + "\"AKIAIOSFODNN7EXAMPLE/20261122/eu-west-1/s3/aws4_request\"},"
                + "{\"x-amz-date\":\"20261122T100000Z\"}]");
    assertThat(fields.get("x-amz-signature"))
        .isEqualTo(
            PostPolicy.signature(
                EXAMPLE_KEYS.secretAccessKey(), "20261122", "eu-west-1", fields.get("policy")));
  }

  @Test
  void exactKeyAndContentTypeAndSuccessStatusAreFieldsAndConditions() {
    Map<String, String> fields =
        PostPolicy.fields(
            "acme-uploads",
            "reports/q3.pdf",
            new UploadConditions(0, 1024, Optional.of("application/pdf"), Optional.of(201)),
            EXAMPLE_KEYS,
            "us-east-1",
            SIGNED_AT,
            EXPIRES_AT);

    assertThat(fields)
        .containsEntry("key", "reports/q3.pdf")
        .containsEntry("Content-Type", "application/pdf")
        .containsEntry("success_action_status", "201");
    assertThat(decoded(fields.get("policy")).get("conditions").toString())
        .contains(
            "{\"key\":\"reports/q3.pdf\"}",
            "[\"content-length-range\",0,1024]",
            "{\"Content-Type\":\"application/pdf\"}",
            "{\"success_action_status\":\"201\"}");
  }

  @Test
  void sessionCredentialsPutTheirTokenInTheFormAndItsPolicy() {
    Map<String, String> fields =
        PostPolicy.fields(
            "acme-uploads",
            "incoming/${filename}",
            new UploadConditions(0, 1024, Optional.empty(), Optional.empty()),
            AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "the-session-token"),
            "us-east-1",
            SIGNED_AT,
            EXPIRES_AT);

    assertThat(fields).containsEntry("x-amz-security-token", "the-session-token");
    assertThat(fields.keySet()).endsWith("x-amz-security-token", "policy", "x-amz-signature");
    assertThat(decoded(fields.get("policy")).get("conditions").toString())
        .contains("{\"x-amz-security-token\":\"the-session-token\"}");
  }

  @Test
  void staticKeysPutNoTokenInTheForm() {
    Map<String, String> fields =
        PostPolicy.fields(
            "acme-uploads",
            "k",
            new UploadConditions(0, 1, Optional.empty(), Optional.empty()),
            EXAMPLE_KEYS,
            "us-east-1",
            SIGNED_AT,
            EXPIRES_AT);

    assertThat(fields).doesNotContainKey("x-amz-security-token");
    assertThat(decoded(fields.get("policy")).toString()).doesNotContain("security-token");
  }

  private static JsonNode decoded(String base64Policy) {
    try {
      return JSON.readTree(Base64.getDecoder().decode(base64Policy));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}

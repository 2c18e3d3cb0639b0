package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = LenientDeserializer.class)
@ValidationRule(
    value =
        "!has(self.renewBefore) || duration(self.renewBefore) < duration(has(self.expiresIn) ? self.expiresIn : '1h')",
    message = "spec.renewBefore must be shorter than spec.expiresIn",
    fieldPath = ".renewBefore",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.responseHeaders) || !has(self.method) || self.method == 'GET'",
    message = "spec.responseHeaders applies to GET links only",
    fieldPath = ".responseHeaders",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.versionId) || !has(self.method) || self.method == 'GET'",
    message = "spec.versionId applies to GET links only",
    fieldPath = ".versionId",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.contentType) || (has(self.method) && self.method == 'PUT')",
    message = "spec.contentType applies to PUT links only",
    fieldPath = ".contentType",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.upload) || (has(self.method) && self.method == 'POST')",
    message = "spec.upload applies to POST links only",
    fieldPath = ".upload",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.method) || self.method != 'POST' || has(self.upload)",
    message = "spec.upload (with its maxSize) is required for POST links",
    fieldPath = ".upload",
    reason = "FieldValueRequired")
public class PresignedObjectLinkSpec {

  /** Go duration syntax, e.g. 90s, 12h, 1h30m. */
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";

  @Required
  @Size(min = 3, max = 63)
  @Pattern("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
  @ValidationRule(
      value = "!self.contains('..') && !self.matches('^[0-9]+\\\\.[0-9]+\\\\.[0-9]+\\\\.[0-9]+$')",
      message = "spec.bucket must follow S3 bucket naming rules: no '..', not an IP address")
  @JsonPropertyDescription(
      "Name of the S3 bucket that holds the object. S3 bucket naming rules apply: 3-63 characters of"
          + " lowercase letters, digits, '.' and '-', starting and ending with a letter or digit.")
  private String bucket;

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription(
      "Key of the object in the bucket: 1-1024 bytes of UTF-8. Any character S3 allows may be used;"
          + " the operator encodes it in the URL. POST links: a key ending in ${filename} allows"
          + " any key that starts with the part before it (S3 puts the uploaded file's name"
          + " there).")
  private String key;

  @Default("GET")
  @JsonPropertyDescription(
      "What the URL allows: GET downloads the object, PUT uploads (creates or replaces) it,"
          + " POST uploads it through an HTML form (or curl -F) whose signed policy holds the"
          + " limits of spec.upload. Default GET.")
  private HttpMethod method = HttpMethod.GET;

  @Default("1h")
  @Pattern(DURATION_PATTERN)
  @Size(max = 32)
  @ValidationRule(
      value = "duration(self) >= duration('1m') && duration(self) <= duration('168h')",
      message = "spec.expiresIn must be between 1m and 168h")
  @JsonPropertyDescription(
      "Lifetime of each URL, as a Go duration (e.g. 15m, 12h). Between 1m and 168h (the SigV4"
          + " maximum). Default 1h. A URL signed with temporary credentials can live no longer"
          + " than they do; status.expiresAt shows the effective expiry.")
  private String expiresIn = "1h";

  @Pattern(DURATION_PATTERN)
  @Size(max = 32)
  @JsonPropertyDescription(
      "How long before expiry the URL is replaced, as a Go duration. Must be shorter than"
          + " expiresIn. Default: one third of expiresIn. The previous URL keeps working until its"
          + " own expiry, so readers have at least this long to pick up the new one.")
  private String renewBefore;

  @Size(max = 32)
  @Pattern("^[a-z0-9-]+$")
  @JsonPropertyDescription(
      "AWS region of the bucket, e.g. eu-west-1. Default: the operator's configured region.")
  private String region;

  @Size(max = 2048)
  @Pattern("^https?://[^\\s/?#]+(/[^\\s?#]*)?$")
  @JsonPropertyDescription(
      "Base URL of an S3-compatible service (MinIO, Ceph RGW, Cloudflare R2...), e.g."
          + " https://minio.example:9000. Default: AWS S3 for the region.")
  private String endpoint;

  @JsonPropertyDescription(
      "Address the bucket in the path (https://host/bucket/key) instead of the host name"
          + " (https://bucket.host/key). Most S3-compatible services need true. Default false.")
  private Boolean forcePathStyle;

  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("Version of the object to download. GET links only.")
  private String versionId;

  @JsonPropertyDescription(
      "Response headers S3 returns with the download, signed into the URL as response-*"
          + " parameters. GET links only.")
  private ResponseHeaders responseHeaders;

  @Size(min = 1, max = 255)
  @JsonPropertyDescription(
      "Content-Type signed into an upload URL; the uploader must send exactly this header."
          + " PUT links only (POST links: spec.upload.contentType).")
  private String contentType;

  @JsonPropertyDescription(
      "POST links only, and required there: the conditions of the signed POST policy (size"
          + " limits, Content-Type). A key ending in ${filename} lets the uploader pick the rest"
          + " of the key.")
  private Upload upload;

  @JsonPropertyDescription(
      "Credentials to sign with, from the link's own namespace. Absent: the operator's own"
          + " identity (IRSA / the AWS default credentials chain), subject to the operator's"
          + " policy.")
  private LinkCredentials credentials;

  @JsonPropertyDescription("The Secret the URL is written to.")
  private SecretTemplate secretTemplate;

  @Size(max = 20)
  @JsonPropertyDescription(
      "Workloads in the same namespace that read the URL from an environment variable and so"
          + " must be restarted after each rotation (mounted Secret volumes update by"
          + " themselves).")
  private List<RestartTarget> restartTargets;

  @Default("true")
  @JsonPropertyDescription(
      "Whether the operator checks each new GET URL by fetching its first byte through it (a"
          + " ranged GET: one request per URL, no extra permission). The outcome is the Verified"
          + " condition; the URL is written either way. PUT URLs and POST forms are never tried."
          + " Default true.")
  private Boolean verify;

  // What could not be read of the stored spec, each naming its field, and those fields as stored
  // (LenientDeserializer), so that a copy of the link is read the same way.
  @JsonIgnore private List<String> readProblems = List.of();
  @JsonIgnore private Map<String, JsonNode> unreadable = Map.of();

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public HttpMethod getMethod() {
    return method;
  }

  public void setMethod(HttpMethod method) {
    this.method = method;
  }

  public String getExpiresIn() {
    return expiresIn;
  }

  public void setExpiresIn(String expiresIn) {
    this.expiresIn = expiresIn;
  }

  public String getRenewBefore() {
    return renewBefore;
  }

  public void setRenewBefore(String renewBefore) {
    this.renewBefore = renewBefore;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public Boolean getForcePathStyle() {
    return forcePathStyle;
  }

  public void setForcePathStyle(Boolean forcePathStyle) {
    this.forcePathStyle = forcePathStyle;
  }

  public String getVersionId() {
    return versionId;
  }

  public void setVersionId(String versionId) {
    this.versionId = versionId;
  }

  public ResponseHeaders getResponseHeaders() {
    return responseHeaders;
  }

  public void setResponseHeaders(ResponseHeaders responseHeaders) {
    this.responseHeaders = responseHeaders;
  }

  public String getContentType() {
    return contentType;
  }

  public void setContentType(String contentType) {
    this.contentType = contentType;
  }

  public Upload getUpload() {
    return upload;
  }

  public void setUpload(Upload upload) {
    this.upload = upload;
  }

  public LinkCredentials getCredentials() {
    return credentials;
  }

  public void setCredentials(LinkCredentials credentials) {
    this.credentials = credentials;
  }

  public SecretTemplate getSecretTemplate() {
    return secretTemplate;
  }

  public void setSecretTemplate(SecretTemplate secretTemplate) {
    this.secretTemplate = secretTemplate;
  }

  public Boolean getVerify() {
    return verify;
  }

  public void setVerify(Boolean verify) {
    this.verify = verify;
  }

  public List<RestartTarget> getRestartTargets() {
    return restartTargets;
  }

  public void setRestartTargets(List<RestartTarget> restartTargets) {
    this.restartTargets = restartTargets;
  }

  @JsonIgnore
  public List<String> getReadProblems() {
    return readProblems;
  }

  @JsonIgnore
  public void setReadProblems(List<String> readProblems) {
    this.readProblems = readProblems;
  }

  @JsonIgnore
  public Map<String, JsonNode> getUnreadable() {
    return unreadable;
  }

  @JsonIgnore
  public void setUnreadable(Map<String, JsonNode> unreadable) {
    this.unreadable = unreadable;
  }
}

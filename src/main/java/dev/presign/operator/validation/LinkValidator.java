package dev.presign.operator.validation;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.RestartTarget;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import dev.presign.operator.api.v1alpha1.Upload;
import dev.presign.operator.signing.SigningRequest;
import dev.presign.operator.signing.UploadConditions;
import dev.presign.operator.template.SecretDataTemplates;
import dev.presign.operator.template.TemplateException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The reconciler's own check of a spec: the same rules as the CRD schema, for links written before
 * a schema change or by clients that skipped validation.
 */
public final class LinkValidator {

  public static final Duration MIN_EXPIRES_IN = Duration.ofMinutes(1);
  public static final Duration MAX_EXPIRES_IN = Duration.ofHours(168);
  public static final Duration DEFAULT_EXPIRES_IN = Duration.ofHours(1);
  public static final String DEFAULT_URL_KEY = "url";

  /** Data keys the operator writes beside the URL. */
  public static final String EXPIRES_AT_KEY = "expiresAt";

  public static final String METHOD_KEY = "method";

  /** POST links: the form fields, a JSON object (DESIGN §2). */
  public static final String FIELDS_KEY = "fields";

  /** The data keys the operator writes besides the URL: no other key may take their name. */
  public static final Set<String> RESERVED_KEYS = Set.of(EXPIRES_AT_KEY, METHOD_KEY, FIELDS_KEY);

  private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
  private static final Pattern IP_ADDRESS = Pattern.compile("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$");
  private static final Pattern REGION = Pattern.compile("^[a-z0-9-]{1,32}$");
  private static final Pattern DATA_KEY = Pattern.compile("^[-._a-zA-Z0-9]{1,253}$");
  private static final int MAX_KEY_BYTES = 1024;

  private LinkValidator() {}

  public static ValidLink validate(PresignedObjectLink link) {
    PresignedObjectLinkSpec spec = link.getSpec();
    if (spec == null) {
      throw new InvalidSpecException("spec", "is required");
    }
    if (!spec.getReadProblems().isEmpty()) {
      throw new InvalidSpecException(String.join("; ", spec.getReadProblems()));
    }
    HttpMethod method = spec.getMethod() == null ? HttpMethod.GET : spec.getMethod();
    Duration expiresIn = expiresIn(spec);
    Duration renewBefore = renewBefore(spec, expiresIn);
    checkMethodSpecificFields(spec, method);
    SigningRequest request =
        new SigningRequest(
            bucket(spec.getBucket()),
            key(spec.getKey()),
            method,
            region(spec.getRegion()),
            endpoint(spec.getEndpoint()),
            Boolean.TRUE.equals(spec.getForcePathStyle()),
            Optional.ofNullable(spec.getVersionId()),
            spec.getResponseHeaders(),
            Optional.ofNullable(spec.getContentType()),
            method == HttpMethod.POST ? Optional.of(upload(spec.getUpload())) : Optional.empty());
    checkCredentials(spec.getCredentials());
    checkRestartTargets(spec);
    // Only a form (POST) has fields; a GET or PUT link's template may not name one.
    boolean formFields = method == HttpMethod.POST;
    return new ValidLink(
        request,
        expiresIn,
        renewBefore,
        secretTarget(link.getMetadata().getName(), spec.getSecretTemplate(), formFields),
        spec.getCredentials(),
        SignedSpec.digest(spec));
  }

  private static String bucket(String bucket) {
    String field = "spec.bucket";
    if (bucket == null) {
      throw new InvalidSpecException(field, "is required");
    }
    if (!BUCKET.matcher(bucket).matches()
        || bucket.contains("..")
        || IP_ADDRESS.matcher(bucket).matches()) {
      throw new InvalidSpecException(
          field,
          "'"
              + bucket
              + "' breaks the S3 bucket naming rules (3-63 characters of lowercase"
              + " letters, digits, '.' and '-'; no '..'; not an IP address)");
    }
    return bucket;
  }

  private static String key(String key) {
    String field = "spec.key";
    if (key == null || key.isEmpty()) {
      throw new InvalidSpecException(field, "is required");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw new InvalidSpecException(
          field, "is " + bytes + " bytes of UTF-8; S3 allows at most " + MAX_KEY_BYTES);
    }
    return key;
  }

  private static Duration expiresIn(PresignedObjectLinkSpec spec) {
    String field = "spec.expiresIn";
    Duration expiresIn =
        spec.getExpiresIn() == null ? DEFAULT_EXPIRES_IN : duration(field, spec.getExpiresIn());
    if (expiresIn.compareTo(MIN_EXPIRES_IN) < 0 || expiresIn.compareTo(MAX_EXPIRES_IN) > 0) {
      throw new InvalidSpecException(
          field, "'" + spec.getExpiresIn() + "' must be between 1m and 168h");
    }
    return expiresIn.withNanos(0);
  }

  private static Duration renewBefore(PresignedObjectLinkSpec spec, Duration expiresIn) {
    String field = "spec.renewBefore";
    if (spec.getRenewBefore() == null) {
      return expiresIn.dividedBy(3).withNanos(0);
    }
    Duration renewBefore = duration(field, spec.getRenewBefore());
    if (renewBefore.isZero() || renewBefore.compareTo(expiresIn) >= 0) {
      throw new InvalidSpecException(
          field,
          "'"
              + spec.getRenewBefore()
              + "' must be longer than 0 and shorter than spec.expiresIn ("
              + (spec.getExpiresIn() == null ? "1h" : spec.getExpiresIn())
              + ")");
    }
    return renewBefore;
  }

  private static Duration duration(String field, String text) {
    try {
      return GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException(field, e.getMessage());
    }
  }

  private static void checkMethodSpecificFields(PresignedObjectLinkSpec spec, HttpMethod method) {
    if (method != HttpMethod.GET && spec.getResponseHeaders() != null) {
      throw new InvalidSpecException("spec.responseHeaders", "applies to GET links only");
    }
    if (method != HttpMethod.GET && spec.getVersionId() != null) {
      throw new InvalidSpecException("spec.versionId", "applies to GET links only");
    }
    if (method != HttpMethod.PUT && spec.getContentType() != null) {
      throw new InvalidSpecException(
          "spec.contentType",
          "applies to PUT links only"
              + (method == HttpMethod.POST ? "; a POST link takes spec.upload.contentType" : ""));
    }
    if (method != HttpMethod.POST && spec.getUpload() != null) {
      throw new InvalidSpecException("spec.upload", "applies to POST links only");
    }
  }

  private static UploadConditions upload(Upload upload) {
    if (upload == null) {
      throw new InvalidSpecException("spec.upload", "is required for POST links");
    }
    if (upload.getMaxSize() == null) {
      throw new InvalidSpecException("spec.upload.maxSize", "is required");
    }
    long maxSize = bytes("spec.upload.maxSize", upload.getMaxSize());
    if (maxSize > UploadConditions.MAX_POST_SIZE) {
      throw new InvalidSpecException(
          "spec.upload.maxSize",
          "'" + upload.getMaxSize() + "' is larger than 5Gi, S3's limit for a POST upload");
    }
    long minSize =
        upload.getMinSize() == null ? 0 : bytes("spec.upload.minSize", upload.getMinSize());
    if (minSize > maxSize) {
      throw new InvalidSpecException(
          "spec.upload.minSize",
          "'"
              + upload.getMinSize()
              + "' is larger than spec.upload.maxSize ('"
              + upload.getMaxSize()
              + "')");
    }
    String contentType = upload.getContentType();
    if (contentType != null
        && (contentType.isEmpty()
            || contentType.length() > 255
            || contentType.isBlank()
            || contentType.chars().anyMatch(Character::isWhitespace))) {
      throw new InvalidSpecException(
          "spec.upload.contentType",
          "must be 1-255 characters without spaces, e.g. image/png or image/");
    }
    Integer status = upload.getSuccessActionStatus();
    if (status != null && !Set.of(200, 201, 204).contains(status)) {
      throw new InvalidSpecException(
          "spec.upload.successActionStatus", "'" + status + "' is not 200, 201 or 204");
    }
    return new UploadConditions(
        minSize, maxSize, Optional.ofNullable(contentType), Optional.ofNullable(status));
  }

  /** A quantity as a whole, positive number of bytes. */
  private static long bytes(String field, Quantity quantity) {
    BigDecimal bytes;
    try {
      bytes = Quantity.getAmountInBytes(quantity);
    } catch (RuntimeException e) {
      throw new InvalidSpecException(
          field, "'" + quantity + "' is not a Kubernetes quantity such as 10Mi or 1048576");
    }
    if (bytes.signum() <= 0 || bytes.stripTrailingZeros().scale() > 0) {
      throw new InvalidSpecException(
          field, "'" + quantity + "' must be a whole number of bytes of at least 1");
    }
    // Larger than any limit: the caller's bound names it.
    return bytes.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValueExact();
  }

  private static Optional<String> region(String region) {
    if (region != null && !REGION.matcher(region).matches()) {
      throw new InvalidSpecException("spec.region", "'" + region + "' is not a region name");
    }
    return Optional.ofNullable(region);
  }

  private static Optional<URI> endpoint(String endpoint) {
    if (endpoint == null) {
      return Optional.empty();
    }
    String field = "spec.endpoint";
    try {
      URI uri = new URI(endpoint);
      if (!Set.of("http", "https").contains(uri.getScheme())
          || uri.getHost() == null
          || uri.getQuery() != null
          || uri.getFragment() != null) {
        throw new InvalidSpecException(
            field, "'" + endpoint + "' must be an http(s) URL without query or fragment");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new InvalidSpecException(field, "'" + endpoint + "' is not a URL: " + e.getReason());
    }
  }

  private static void checkCredentials(LinkCredentials credentials) {
    if (credentials == null) {
      return;
    }
    if (credentials.getServiceAccountName() != null && credentials.getSecretRef() != null) {
      throw new InvalidSpecException(
          "spec.credentials", "takes either serviceAccountName or secretRef, not both");
    }
    if (credentials.getServiceAccountName() != null) {
      checkName("spec.credentials.serviceAccountName", credentials.getServiceAccountName());
    }
    if (credentials.getSecretRef() != null) {
      checkName("spec.credentials.secretRef.name", credentials.getSecretRef().getName());
    }
  }

  private static void checkRestartTargets(PresignedObjectLinkSpec spec) {
    if (spec.getRestartTargets() == null) {
      return;
    }
    for (int i = 0; i < spec.getRestartTargets().size(); i++) {
      RestartTarget target = spec.getRestartTargets().get(i);
      String field = "spec.restartTargets[" + i + "]";
      if (target == null || target.getKind() == null) {
        throw new InvalidSpecException(field + ".kind", "is required");
      }
      checkName(field + ".name", target.getName());
    }
  }

  private static SecretTarget secretTarget(
      String linkName, SecretTemplate template, boolean formFields) {
    SecretTemplate given = template == null ? new SecretTemplate() : template;
    String name = given.getName() == null ? linkName : given.getName();
    checkName("spec.secretTemplate.name", name);
    String urlKey = given.getUrlKey() == null ? DEFAULT_URL_KEY : given.getUrlKey();
    if (!DATA_KEY.matcher(urlKey).matches() || RESERVED_KEYS.contains(urlKey)) {
      throw new InvalidSpecException(
          "spec.secretTemplate.urlKey",
          "'"
              + urlKey
              + "' must be a Secret data key other than "
              + EXPIRES_AT_KEY
              + ", "
              + METHOD_KEY
              + " and "
              + FIELDS_KEY);
    }
    Map<String, String> labels = given.getLabels() == null ? Map.of() : given.getLabels();
    Map<String, String> annotations =
        given.getAnnotations() == null ? Map.of() : given.getAnnotations();
    checkMetadata("spec.secretTemplate.labels", labels, KubernetesNames::labelValueProblem);
    checkMetadata("spec.secretTemplate.annotations", annotations, value -> Optional.empty());
    KubernetesNames.annotationsSizeProblem(annotations)
        .ifPresent(
            problem -> {
              throw new InvalidSpecException("spec.secretTemplate.annotations", problem);
            });
    return new SecretTarget(
        name,
        urlKey,
        Map.copyOf(labels),
        Map.copyOf(annotations),
        dataTemplates(given.getData(), urlKey, formFields));
  }

  /** The templates of secretTemplate.data: the keys they may write, then the templates. */
  private static SecretDataTemplates dataTemplates(
      Map<String, String> data, String urlKey, boolean formFields) {
    if (data == null || data.isEmpty()) {
      return SecretDataTemplates.none();
    }
    String field = "spec.secretTemplate.data";
    if (data.size() > SecretTemplate.MAX_TEMPLATES) {
      throw new InvalidSpecException(
          field, "has " + data.size() + " keys; at most " + SecretTemplate.MAX_TEMPLATES);
    }
    Set<String> reserved = new TreeSet<>(RESERVED_KEYS);
    reserved.addAll(List.of(urlKey, DEFAULT_URL_KEY));
    data.forEach(
        (key, template) -> {
          if (!DATA_KEY.matcher(key).matches()) {
            throw new InvalidSpecException(
                field + "[" + key + "]",
                "is not a Secret data key (letters, digits, '-', '_' and '.', at most 253)");
          }
          if (reserved.contains(key)) {
            throw new InvalidSpecException(
                field + "[" + key + "]",
                "is written by the operator (" + String.join(", ", reserved) + " are reserved)");
          }
          if (template.length() > SecretTemplate.MAX_TEMPLATE_LENGTH) {
            throw new InvalidSpecException(
                field + "[" + key + "]",
                "is "
                    + template.length()
                    + " characters long; at most "
                    + SecretTemplate.MAX_TEMPLATE_LENGTH);
          }
        });
    try {
      return SecretDataTemplates.parse(data, formFields);
    } catch (TemplateException e) {
      throw new InvalidSpecException(field + e.getMessage());
    }
  }

  /** The API server refuses an object whose name breaks its rules; say so before writing. */
  private static void checkName(String field, String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidSpecException(field, "is required");
    }
    KubernetesNames.subdomainProblem(name)
        .ifPresent(
            problem -> {
              throw new InvalidSpecException(field, problem);
            });
  }

  private static void checkMetadata(
      String field, Map<String, String> entries, Function<String, Optional<String>> valueProblem) {
    entries.forEach(
        (key, value) ->
            KubernetesNames.keyProblem(key)
                .or(() -> valueProblem.apply(value))
                .ifPresent(
                    problem -> {
                      throw new InvalidSpecException(field + "[" + key + "]", problem);
                    }));
  }
}

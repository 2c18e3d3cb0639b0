package dev.presign.operator.signing;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.ResponseHeaders;
import dev.presign.operator.config.AwsClients;
import dev.presign.operator.config.DefaultRegion;
import dev.presign.operator.config.PresignConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Signs S3 URLs locally, without a network call. One presigner per (region, endpoint, path style)
 * is built once and reused; credentials travel with each request.
 */
@ApplicationScoped
public class UrlSigner {

  private static final Logger LOG = Logger.getLogger(UrlSigner.class);

  private static final String ACTION_PROBE_KEY = "k";

  private record PresignerKey(Region region, Optional<URI> endpoint, boolean pathStyle) {}

  private final Map<PresignerKey, S3Presigner> presigners = new ConcurrentHashMap<>();
  private final Optional<String> configuredRegion;
  private final Clock clock;
  // Resolved once: without presign.region the SDK's region chain reads the profile file and may
  // ask the instance metadata service, which should not happen for every URL.
  private volatile Region resolvedDefaultRegion;

  @Inject
  public UrlSigner(PresignConfig config, Clock clock) {
    this(config.region(), clock);
  }

  /**
   * @param defaultRegion region of links without one; empty: the SDK's region chain
   * @param clock the signing time of POST forms (the SDK's presigner keeps its own for GET and PUT)
   */
  public UrlSigner(Optional<String> defaultRegion, Clock clock) {
    this.configuredRegion = defaultRegion;
    this.clock = clock;
  }

  /**
   * @param lifetime whole seconds, at most 7 days (the SigV4 limit)
   */
  public SignedUrl sign(SigningRequest request, AwsCredentials credentials, Duration lifetime) {
    return sign(request, credentials, lifetime, Optional.empty());
  }

  /**
   * @param replacing the digest of the URL the new one replaces. SigV4 gives the very same URL for
   *     the same request, credentials, second and lifetime, so a URL signed in the second of the
   *     one it replaces would be that URL: it is signed again one second shorter, as a rotation
   *     (R10, a leaked URL) must give a new one.
   */
  public SignedUrl sign(
      SigningRequest request,
      AwsCredentials credentials,
      Duration lifetime,
      Optional<String> replacing) {
    S3Presigner presigner = presignerFor(request);
    try {
      SignedUrl signed = sign(presigner, request, credentials, lifetime);
      if (replacing.equals(Optional.of(signed.digest()))) {
        signed = sign(presigner, request, credentials, lifetime.minusSeconds(1));
      }
      return signed;
    } catch (SdkException | IllegalArgumentException e) {
      throw new SigningFailedException("could not sign the URL: " + e.getMessage(), e);
    }
  }

  private SignedUrl sign(
      S3Presigner presigner,
      SigningRequest request,
      AwsCredentials credentials,
      Duration lifetime) {
    if (request.method() == HttpMethod.POST) {
      return signForm(presigner, request, credentials, lifetime);
    }
    PresignedRequest presigned = presign(presigner, request, credentials, lifetime);
    return new SignedUrl(
        presigned.url().toString(),
        Map.of(),
        presigned.expiration().truncatedTo(ChronoUnit.SECONDS),
        lifetime);
  }

  /**
   * A POST form: its action is the bucket's URL as the presigner addresses it for GET and PUT
   * (region, endpoint, path style), its policy expires with the lifetime.
   */
  private SignedUrl signForm(
      S3Presigner presigner,
      SigningRequest request,
      AwsCredentials credentials,
      Duration lifetime) {
    Instant signedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = signedAt.plus(lifetime);
    Map<String, String> fields =
        PostPolicy.fields(
            request.bucket(),
            request.key(),
            request
                .upload()
                .orElseThrow(() -> new IllegalArgumentException("a POST link needs its upload")),
            credentials,
            regionOf(request).id(),
            signedAt,
            expiresAt);
    return new SignedUrl(
        formAction(presigner, request, credentials),
        Collections.unmodifiableMap(fields),
        expiresAt,
        lifetime);
  }

  /**
   * The bucket's URL: that of a GET of the one-character key {@value #ACTION_PROBE_KEY} without its
   * key and query. The presigner alone knows how a region, endpoint and path style address a
   * bucket; the key is one that no encoding changes.
   */
  private static String formAction(
      S3Presigner presigner, SigningRequest request, AwsCredentials credentials) {
    SigningRequest probe =
        new SigningRequest(
            request.bucket(),
            ACTION_PROBE_KEY,
            HttpMethod.GET,
            request.region(),
            request.endpoint(),
            request.pathStyle(),
            Optional.empty(),
            null,
            Optional.empty(),
            Optional.empty());
    URI object =
        URI.create(presign(presigner, probe, credentials, Duration.ofMinutes(1)).url().toString());
    String path = object.getRawPath();
    String bucketPath = path.substring(0, path.length() - ACTION_PROBE_KEY.length() - 1);
    return object.getScheme()
        + "://"
        + object.getRawAuthority()
        + (bucketPath.isEmpty() ? "/" : bucketPath);
  }

  private static PresignedRequest presign(
      S3Presigner presigner,
      SigningRequest request,
      AwsCredentials credentials,
      Duration lifetime) {
    AwsRequestOverrideConfiguration withCredentials =
        AwsRequestOverrideConfiguration.builder()
            .credentialsProvider(StaticCredentialsProvider.create(credentials))
            .build();
    return request.method() == HttpMethod.PUT
        ? presigner.presignPutObject(
            put ->
                put.signatureDuration(lifetime).putObjectRequest(toPut(request, withCredentials)))
        : presigner.presignGetObject(
            get ->
                get.signatureDuration(lifetime).getObjectRequest(toGet(request, withCredentials)));
  }

  private static GetObjectRequest toGet(
      SigningRequest request, AwsRequestOverrideConfiguration override) {
    GetObjectRequest.Builder get =
        GetObjectRequest.builder()
            .bucket(request.bucket())
            .key(request.key())
            .overrideConfiguration(override);
    request.versionId().ifPresent(get::versionId);
    ResponseHeaders headers = request.responseHeaders();
    if (headers != null) {
      get.responseContentType(headers.getContentType())
          .responseContentDisposition(headers.getContentDisposition())
          .responseCacheControl(headers.getCacheControl())
          .responseContentLanguage(headers.getContentLanguage())
          .responseContentEncoding(headers.getContentEncoding());
    }
    return get.build();
  }

  private static PutObjectRequest toPut(
      SigningRequest request, AwsRequestOverrideConfiguration override) {
    PutObjectRequest.Builder put =
        PutObjectRequest.builder()
            .bucket(request.bucket())
            .key(request.key())
            .overrideConfiguration(override);
    request.contentType().ifPresent(put::contentType);
    return put.build();
  }

  /** The region a URL for {@code request} is signed for: its own, or the operator's. */
  public String region(SigningRequest request) {
    return request.region().orElseGet(() -> defaultRegion().id());
  }

  private S3Presigner presignerFor(SigningRequest request) {
    return presigners.computeIfAbsent(
        new PresignerKey(regionOf(request), request.endpoint(), request.pathStyle()),
        key -> AwsClients.presigner(key.region(), key.endpoint(), key.pathStyle()));
  }

  private Region regionOf(SigningRequest request) {
    return request.region().map(Region::of).orElseGet(this::defaultRegion);
  }

  private Region defaultRegion() {
    Region region = resolvedDefaultRegion;
    if (region == null) {
      // Two threads may both resolve it at first: the same answer, no harm.
      region = DefaultRegion.of(configuredRegion);
      resolvedDefaultRegion = region;
    }
    return region;
  }

  /**
   * Signs one URL for nothing, on a thread of its own, while the operator starts and its informers
   * list: the SDK's presigner loads and compiles some thousand classes on its first use, which
   * would otherwise hold back the first link's URL by about half a second once the caches are
   * filled. The presigner it builds is not kept.
   */
  void warmUp(@Observes StartupEvent started) {
    SigningRequest nothing =
        new SigningRequest(
            "warm-up",
            "warm-up",
            HttpMethod.GET,
            Optional.of(Region.US_EAST_1.id()),
            Optional.empty(),
            false,
            Optional.empty(),
            null,
            Optional.empty(),
            Optional.empty());
    Thread warmUp =
        new Thread(
            () -> {
              try (S3Presigner presigner =
                  AwsClients.presigner(Region.US_EAST_1, Optional.empty(), false)) {
                presign(
                    presigner,
                    nothing,
                    AwsBasicCredentials.create("warm-up", "warm-up"),
                    Duration.ofMinutes(1));
              } catch (RuntimeException e) {
                LOG.debugf(e, "the signer's warm-up failed; the first URL is signed cold");
              }
            },
            "presign-signer-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  @PreDestroy
  void close() {
    presigners.values().forEach(S3Presigner::close);
  }
}

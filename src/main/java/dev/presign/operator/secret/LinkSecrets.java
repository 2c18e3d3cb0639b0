package dev.presign.operator.secret;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.signing.FormFields;
import dev.presign.operator.signing.UrlRedaction;
import dev.presign.operator.signing.UrlSigner;
import dev.presign.operator.validation.LinkValidator;
import dev.presign.operator.validation.SecretTarget;
import dev.presign.operator.validation.ValidLink;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Reads and writes the Secrets of links (DESIGN §2). The Secret is the record of the URL it holds:
 * its annotations say when the URL was issued, for which generation, when it expires and when it is
 * renewed, so a restarted operator or a stale status never causes a needless rotation.
 *
 * <p>One per controller: it holds the client, the cache of the Secrets of this operator's shard (an
 * informer that is also the event source through which a Secret edited or deleted by hand triggers
 * its link's reconcile), and the shard, whose labels each Secret carries.
 *
 * <p>Not a JOSDK {@code KubernetesDependentResource}, the framework's answer for a Secret a
 * reconciler owns, because the Secret here is a record, not a state derived from the spec: the
 * dependent asks for its desired state on every pass, to match and to pick its Secret among
 * several, and that state holds a URL, which may be signed only when the decision says a new one is
 * due (R4); a Secret edited by hand is restored from its own URL without signing anew. Its create
 * (by server-side apply) would take over a Secret of that name that another owns, or (without SSA)
 * fail as an error without a name, where R5 asks for SecretConflict, and for the update of the
 * link's own Secret that lost its managed-by label and so is not cached. Withdrawing the URL when
 * the policy no longer permits it, and deleting the Secret of an old secretTemplate.name, have no
 * place in a dependent's one desired state either.
 */
public final class LinkSecrets {

  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final String MANAGED_BY = "presign-operator";
  static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;
  static final String LINK_LABEL = "presign.dev/link";
  static final String ISSUED_AT = "presign.dev/issued-at";
  static final String EXPIRES_AT = "presign.dev/expires-at";
  static final String RENEWAL_TIME = "presign.dev/renewal-time";
  static final String CREDENTIALS_EXPIRE_AT = "presign.dev/credentials-expire-at";
  static final String GENERATION = "presign.dev/generation";
  static final String URL_DIGEST = "presign.dev/url-digest";
  static final String ROTATIONS = "presign.dev/rotations";
  static final String SIGNED_SPEC = "presign.dev/signed-spec";

  private static final Logger LOG = Logger.getLogger(LinkSecrets.class);

  private final KubernetesClient client;
  private final InformerEventSource<Secret, PresignedObjectLink> cache;
  private final Shard shard;
  private final UrlSigner signer;

  private LinkSecrets(
      KubernetesClient client,
      InformerEventSource<Secret, PresignedObjectLink> cache,
      Shard shard,
      UrlSigner signer) {
    this.client = client;
    this.cache = cache;
    this.shard = shard;
    this.signer = signer;
  }

  /**
   * The Secrets of the links {@code shard} serves, cached by a watch of their own.
   *
   * @param signer says which region a URL is signed for, which the templates may name
   */
  public static LinkSecrets watch(
      EventSourceContext<PresignedObjectLink> context, Shard shard, UrlSigner signer) {
    return new LinkSecrets(context.getClient(), shard.watchSecrets(context), shard, signer);
  }

  /** The cache's watch, which reconciles a link when its Secret changes. */
  public InformerEventSource<Secret, PresignedObjectLink> eventSource() {
    return cache;
  }

  /**
   * The Secret of the link under {@code name}, from the cache alone: a link costs no API read,
   * however many there are. A Secret of that name that is not cached (another link's, one whose
   * managed-by label was removed, or no Secret of the operator at all) shows when it is created:
   * see {@link #write}.
   */
  public Optional<Secret> cached(PresignedObjectLink link, String name) {
    return owned(link).filter(secret -> secret.getMetadata().getName().equals(name)).findFirst();
  }

  /** What the Secret the status last named records of its URL, from the cache; never throws. */
  public Optional<IssuedUrl> lastIssued(PresignedObjectLink link, Optional<String> secretName) {
    String urlKey =
        Optional.ofNullable(link.getSpec())
            .map(spec -> spec.getSecretTemplate())
            .map(SecretTemplate::getUrlKey)
            .orElse(LinkValidator.DEFAULT_URL_KEY);
    return secretName
        .flatMap(name -> cached(link, name))
        .filter(secret -> isOwnedBy(secret, link))
        .flatMap(secret -> issued(secret, urlKey));
  }

  /**
   * Writes a new URL to the link's Secret, creating it when there is none.
   *
   * @param fields POST: the form fields; empty for GET and PUT
   * @throws SecretConflictException when a Secret of that name exists and the link does not own it
   */
  public void write(
      PresignedObjectLink link,
      ValidLink valid,
      Optional<Secret> existing,
      String url,
      Map<String, String> fields,
      IssuedUrl issued) {
    write(existing, desired(link, valid, existing, url, fields, issued));
  }

  /**
   * Puts back what was edited in the Secret besides the URL, and renders its templates anew,
   * without signing anew. Its URL and form fields are intact (their digest matches the record), so
   * they are written back as they are.
   */
  public void restore(PresignedObjectLink link, ValidLink valid, Secret secret, IssuedUrl issued) {
    Secret desired =
        desired(
            link,
            valid,
            Optional.of(secret),
            url(secret, valid.secret().urlKey()),
            fields(secret),
            issued);
    if (differs(secret, desired)) {
      write(Optional.of(secret), desired);
      LOG.infof(
          "rewrote the Secret %s of %s with the URL it holds", valid.secret().name(), id(link));
    }
  }

  /** Takes the URL out of the Secret (R7: the policy no longer permits it), if it holds one. */
  public void withdraw(PresignedObjectLink link, ValidLink valid, Secret secret) {
    withoutUrl(secret, valid.secret().urlKey(), valid.secret().data().keys())
        .ifPresent(
            without -> {
              write(Optional.of(secret), without);
              LOG.infof(
                  "removed the URL of %s from its Secret: the policy no longer permits it",
                  id(link));
            });
  }

  /** Deletes Secrets the link owns under other names (after secretTemplate.name changed). */
  public void deleteOthers(PresignedObjectLink link, String keep) {
    List<Secret> stale =
        owned(link)
            .filter(secret -> !secret.getMetadata().getName().equals(keep))
            .filter(secret -> isOwnedBy(secret, link))
            .toList();
    stale.forEach(
        secret ->
            request(
                "delete",
                secret.getMetadata().getNamespace(),
                secret.getMetadata().getName(),
                () -> client.resource(secret).delete()));
    stale.forEach(
        secret ->
            LOG.infof(
                "deleted Secret %s of %s after a rename",
                secret.getMetadata().getName(), id(link)));
  }

  /** The cached Secrets whose owner references name the link. */
  private Stream<Secret> owned(PresignedObjectLink link) {
    return cache.getSecondaryResources(link).stream();
  }

  private Secret desired(
      PresignedObjectLink link,
      ValidLink valid,
      Optional<Secret> existing,
      String url,
      Map<String, String> fields,
      IssuedUrl issued) {
    String method = valid.request().method().name();
    String expiresAt = issued.expiresAt().toString();
    List<String> written = new ArrayList<>(List.of(url, expiresAt, method));
    if (!fields.isEmpty()) {
      written.add(FormFields.toJson(fields));
    }
    return desired(
        link,
        shard.target(link, valid.secret()),
        existing,
        url,
        fields,
        issued,
        method,
        RenderedKeys.render(valid, url, issued, signer.region(valid.request()), fields, written));
  }

  static boolean isOwnedBy(Secret secret, PresignedObjectLink link) {
    return isOwnedBy(secret, link.getMetadata().getUid());
  }

  private static boolean isOwnedBy(Secret secret, String linkUid) {
    return secret.getMetadata().getOwnerReferences().stream()
        .anyMatch(
            ref ->
                Boolean.TRUE.equals(ref.getController()) && Objects.equals(ref.getUid(), linkUid));
  }

  /** What the Secret records of its URL; empty when it holds no record the operator wrote. */
  public static Optional<IssuedUrl> issued(Secret secret, String urlKey) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    if (annotations == null) {
      return Optional.empty();
    }
    try {
      String url = decode(secret.getData(), urlKey);
      String fields = decode(secret.getData(), LinkValidator.FIELDS_KEY);
      String digest = annotations.get(URL_DIGEST);
      return Optional.of(
          new IssuedUrl(
              Long.parseLong(annotations.get(GENERATION)),
              Instant.parse(annotations.get(ISSUED_AT)),
              Instant.parse(annotations.get(EXPIRES_AT)),
              Instant.parse(annotations.get(RENEWAL_TIME)),
              Optional.ofNullable(annotations.get(CREDENTIALS_EXPIRE_AT)).map(Instant::parse),
              Long.parseLong(annotations.getOrDefault(ROTATIONS, "1")),
              digest,
              url != null && UrlRedaction.digest(url, fields).equals(digest),
              Optional.ofNullable(annotations.get(SIGNED_SPEC))));
    } catch (NullPointerException | NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The URL stored in the Secret. */
  public static String url(Secret secret, String urlKey) {
    return decode(secret.getData(), urlKey);
  }

  /**
   * The form fields stored in the Secret of a POST link, in their order; empty for GET and PUT, and
   * when they cannot be read (then the record's digest does not match them either).
   */
  public static Map<String, String> fields(Secret secret) {
    return Optional.ofNullable(decode(secret.getData(), LinkValidator.FIELDS_KEY))
        .flatMap(
            json -> {
              try {
                return Optional.of(FormFields.fromJson(json));
              } catch (IllegalArgumentException e) {
                return Optional.empty();
              }
            })
        .orElse(Map.of());
  }

  /**
   * The Secret as it should be: what the existing one has that is not the operator's (labels and
   * annotations users or tools added) is kept.
   *
   * @param rendered the keys of secretTemplate.data rendered with this URL: written with it
   */
  static Secret desired(
      PresignedObjectLink link,
      SecretTarget target,
      Optional<Secret> existing,
      String url,
      Map<String, String> fields,
      IssuedUrl issued,
      String method,
      Map<String, String> rendered) {
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();
    existing.ifPresent(
        secret -> {
          Optional.ofNullable(secret.getMetadata().getLabels()).ifPresent(labels::putAll);
          Optional.ofNullable(secret.getMetadata().getAnnotations()).ifPresent(annotations::putAll);
        });
    labels.putAll(target.labels());
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    labels.put(LINK_LABEL, link.getMetadata().getName());
    annotations.putAll(target.annotations());
    annotations.putAll(record(issued));
    // A URL issued or kept while the link carries a request has handled it: a reconcile is due
    // for any request not handled yet.
    RotationRequests.of(link)
        .ifPresent(request -> annotations.put(RotationRequests.ROTATION_REQUEST, request));
    if (issued.credentialsExpireAt().isEmpty()) {
      annotations.remove(CREDENTIALS_EXPIRE_AT);
    }
    if (issued.signedSpec().isEmpty()) {
      annotations.remove(SIGNED_SPEC);
    }
    Map<String, String> data = new HashMap<>();
    rendered.forEach((key, text) -> data.put(key, encode(text)));
    data.put(target.urlKey(), encode(url));
    data.put(LinkValidator.EXPIRES_AT_KEY, encode(issued.expiresAt().toString()));
    data.put(LinkValidator.METHOD_KEY, encode(method));
    if (!fields.isEmpty()) {
      data.put(LinkValidator.FIELDS_KEY, encode(FormFields.toJson(fields)));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(link.getMetadata().getNamespace())
        .withName(target.name())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(ownerReference(link))
        .withResourceVersion(existing.map(s -> s.getMetadata().getResourceVersion()).orElse(null))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** True when the existing Secret differs from the desired one in what the operator manages. */
  static boolean differs(Secret existing, Secret desired) {
    return !Objects.equals(existing.getData(), desired.getData())
        || !Objects.equals(existing.getType(), desired.getType())
        || !contains(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
        || !contains(
            existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations())
        || !Objects.equals(
            existing.getMetadata().getOwnerReferences(),
            desired.getMetadata().getOwnerReferences());
  }

  /**
   * Creates or updates the Secret and hands the result to the cache, so the next pass sees it. A
   * create that finds a Secret of that name reads it: one the link owns (its managed-by label was
   * removed, so it was not cached) is updated, keeping what others added; any other is left alone.
   *
   * @throws SecretConflictException when a Secret of that name exists and the link does not own it
   */
  private Secret write(Optional<Secret> existing, Secret desired) {
    String namespace = desired.getMetadata().getNamespace();
    String name = desired.getMetadata().getName();
    if (existing.isPresent()) {
      return update(existing.get(), desired);
    }
    Secret written;
    try {
      written = client.secrets().resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw new SecretWriteFailedException("create", namespace, name, e);
      }
      Secret found =
          request(
              "read",
              namespace,
              name,
              () -> client.secrets().inNamespace(namespace).withName(name).get());
      if (found == null) {
        throw new SecretWriteFailedException("create", namespace, name, e);
      }
      if (!isOwnedBy(found, desired.getMetadata().getOwnerReferences().get(0).getUid())) {
        throw new SecretConflictException(
            "Secret "
                + namespace
                + "/"
                + name
                + " exists and is not owned by this link; the operator leaves it unchanged."
                + " Delete it or choose another spec.secretTemplate.name");
      }
      return update(found, keepingOthers(found, desired));
    }
    cache.handleRecentResourceCreate(ResourceID.fromResource(written), written);
    return written;
  }

  private Secret update(Secret existing, Secret desired) {
    Secret written =
        request(
            "update",
            desired.getMetadata().getNamespace(),
            desired.getMetadata().getName(),
            () -> client.secrets().resource(desired).update());
    cache.handleRecentResourceUpdate(ResourceID.fromResource(written), written, existing);
    return written;
  }

  /** The desired Secret with the labels and annotations others added to the existing one. */
  private static Secret keepingOthers(Secret existing, Secret desired) {
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();
    Optional.ofNullable(existing.getMetadata().getLabels()).ifPresent(labels::putAll);
    Optional.ofNullable(existing.getMetadata().getAnnotations()).ifPresent(annotations::putAll);
    labels.putAll(desired.getMetadata().getLabels());
    annotations.putAll(desired.getMetadata().getAnnotations());
    return new SecretBuilder(desired)
        .editMetadata()
        .withLabels(labels)
        .withAnnotations(annotations)
        .withResourceVersion(existing.getMetadata().getResourceVersion())
        .endMetadata()
        .build();
  }

  /** Runs one request for a Secret; a refusal or failure is a SecretWriteFailed (R8). */
  private static <T> T request(String action, String namespace, String name, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw new SecretWriteFailedException(action, namespace, name, e);
    }
  }

  /**
   * The Secret without its URL, or empty when it holds none: what the link keeps when the policy no
   * longer permits it (R7). The Secret stays, so that pods mounting it still start; only the URL,
   * its expiry, the keys rendered from it and the operator's record of it go.
   */
  static Optional<Secret> withoutUrl(
      Secret existing, String urlKey, Collection<String> renderedKeys) {
    Map<String, String> data =
        new HashMap<>(Optional.ofNullable(existing.getData()).orElse(Map.of()));
    Map<String, String> annotations =
        new HashMap<>(
            Optional.ofNullable(existing.getMetadata().getAnnotations()).orElse(Map.of()));
    List<String> withUrl = new ArrayList<>(renderedKeys);
    withUrl.addAll(
        List.of(
            urlKey,
            LinkValidator.EXPIRES_AT_KEY,
            LinkValidator.METHOD_KEY,
            LinkValidator.FIELDS_KEY));
    boolean dataRemoved = data.keySet().removeAll(withUrl);
    // The rotation count stays: it goes on when the link is permitted again.
    boolean recordRemoved =
        annotations
            .keySet()
            .removeAll(
                List.of(
                    GENERATION,
                    ISSUED_AT,
                    EXPIRES_AT,
                    RENEWAL_TIME,
                    CREDENTIALS_EXPIRE_AT,
                    URL_DIGEST,
                    SIGNED_SPEC));
    if (!dataRemoved && !recordRemoved) {
      return Optional.empty();
    }
    return Optional.of(
        new SecretBuilder(existing)
            .withData(data)
            .editMetadata()
            .withAnnotations(annotations)
            .endMetadata()
            .build());
  }

  private static Map<String, String> record(IssuedUrl issued) {
    Map<String, String> record = new HashMap<>();
    record.put(GENERATION, Long.toString(issued.generation()));
    record.put(ISSUED_AT, issued.issuedAt().toString());
    record.put(EXPIRES_AT, issued.expiresAt().toString());
    record.put(RENEWAL_TIME, issued.renewalTime().toString());
    record.put(URL_DIGEST, issued.urlDigest());
    record.put(ROTATIONS, Long.toString(issued.rotations()));
    issued.signedSpec().ifPresent(signedSpec -> record.put(SIGNED_SPEC, signedSpec));
    issued
        .credentialsExpireAt()
        .ifPresent(expiry -> record.put(CREDENTIALS_EXPIRE_AT, expiry.toString()));
    return record;
  }

  private static OwnerReference ownerReference(PresignedObjectLink link) {
    return new OwnerReference(
        link.getApiVersion(),
        true,
        true,
        link.getKind(),
        link.getMetadata().getName(),
        link.getMetadata().getUid());
  }

  private static boolean contains(Map<String, String> actual, Map<String, String> expected) {
    Map<String, String> present = actual == null ? Map.of() : actual;
    return expected.entrySet().stream()
        .allMatch(entry -> Objects.equals(present.get(entry.getKey()), entry.getValue()));
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(Map<String, String> data, String key) {
    return Optional.ofNullable(data)
        .map(d -> d.get(key))
        .map(value -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8))
        .orElse(null);
  }

  /** namespace/name, as logs name a link. */
  private static String id(PresignedObjectLink link) {
    return link.getMetadata().getNamespace() + "/" + link.getMetadata().getName();
  }
}

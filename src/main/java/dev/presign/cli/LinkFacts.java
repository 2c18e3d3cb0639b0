package dev.presign.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import dev.presign.operator.api.v1alpha1.Upload;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code kubectl presign status} says of one link, read from the link and its events: the same
 * facts for the table and for {@code -o json|yaml}. Never the URL (the link does not hold it).
 *
 * @param events the link's latest events, oldest first; null when not asked for (several links)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "namespace",
  "name",
  "method",
  "bucket",
  "key",
  "upload",
  "ready",
  "verified",
  "observed",
  "secret",
  "issuedAt",
  "expiresAt",
  "renewalTime",
  "credentials",
  "rotations",
  "restarts",
  "unrestartedReaders",
  "lastHandledRotationRequest",
  "events"
})
public record LinkFacts(
    String namespace,
    String name,
    String method,
    String bucket,
    String key,
    UploadFact upload,
    ConditionFact ready,
    ConditionFact verified,
    boolean observed,
    SecretFact secret,
    String issuedAt,
    String expiresAt,
    String renewalTime,
    CredentialsFact credentials,
    long rotations,
    List<RestartFact> restarts,
    List<String> unrestartedReaders,
    String lastHandledRotationRequest,
    List<EventFact> events) {

  /** The marker of a reader that never sees a new URL in the Ready message (DESIGN R9). */
  /** How many of a link's events are shown: the latest. */
  static final int RECENT_EVENTS = 10;

  static final String UNRESTARTED_READER = " and is not a restart target";

  /** A condition of the link; status Unknown with reason NotReported when the link has none. */
  public record ConditionFact(String status, String reason, String message) {
    @JsonIgnore
    public boolean isTrue() {
      return "True".equals(status);
    }
  }

  /**
   * The limits of a POST link's form, as the spec writes them (quantities such as 10Mi); null for
   * GET and PUT links.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UploadFact(
      String maxSize, String minSize, String contentType, Integer successActionStatus) {}

  /** The Secret that holds the URL, and its key. */
  /**
   * @param templatedKeys the keys rendered from spec.secretTemplate.data beside the URL, sorted
   */
  public record SecretFact(
      String name,
      String key,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> templatedKeys) {}

  /**
   * Where the signing credentials come from: "operator" (its own identity), "serviceAccount" or
   * "secret" (then {@code name} names it), and when they expire, for temporary ones.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CredentialsFact(String source, String name, String expiresAt) {}

  public record RestartFact(String kind, String name, String restartedAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EventFact(String type, String reason, String time, int count, String message) {}

  public static LinkFacts of(PresignedObjectLink link) {
    return of(link, null);
  }

  /** The facts of a link, with its events when {@code events} is not null. */
  public static LinkFacts of(PresignedObjectLink link, List<Event> events) {
    PresignedObjectLinkSpec spec =
        Optional.ofNullable(link.getSpec()).orElseGet(PresignedObjectLinkSpec::new);
    PresignedObjectLinkStatus status =
        Optional.ofNullable(link.getStatus()).orElseGet(PresignedObjectLinkStatus::new);
    ConditionFact ready =
        condition(status, "Ready")
            .orElse(new ConditionFact("Unknown", "NotReported", "the operator has not reported"));
    Long generation = link.getMetadata().getGeneration();
    boolean observed =
        status.getObservedGeneration() != null
            && (generation == null || status.getObservedGeneration() >= generation);
    return new LinkFacts(
        link.getMetadata().getNamespace(),
        link.getMetadata().getName(),
        spec.getMethod() == null ? null : spec.getMethod().name(),
        spec.getBucket(),
        spec.getKey(),
        upload(spec.getUpload()),
        ready,
        condition(status, "Verified").orElse(null),
        observed,
        secret(link, spec, status),
        status.getIssuedAt(),
        status.getExpiresAt(),
        status.getRenewalTime(),
        credentials(spec.getCredentials(), status.getCredentialsExpireAt()),
        Optional.ofNullable(status.getRotations()).orElse(0L),
        Optional.ofNullable(status.getRestarts()).orElse(List.of()).stream()
            .map(r -> new RestartFact(r.getKind(), r.getName(), r.getRestartedAt()))
            .toList(),
        unrestartedReaders(ready.message()),
        status.getLastHandledRotationRequest(),
        events == null ? null : events(events));
  }

  /** The Secret and key that hold the link's URL: as reported, else as the spec names them. */
  public static SecretFact secret(PresignedObjectLink link) {
    PresignedObjectLinkSpec spec =
        Optional.ofNullable(link.getSpec()).orElseGet(PresignedObjectLinkSpec::new);
    PresignedObjectLinkStatus status =
        Optional.ofNullable(link.getStatus()).orElseGet(PresignedObjectLinkStatus::new);
    return secret(link, spec, status);
  }

  private static SecretFact secret(
      PresignedObjectLink link, PresignedObjectLinkSpec spec, PresignedObjectLinkStatus status) {
    Optional<SecretTemplate> template = Optional.ofNullable(spec.getSecretTemplate());
    String name =
        Optional.ofNullable(status.getSecretName())
            .or(() -> template.map(SecretTemplate::getName))
            .orElse(link.getMetadata().getName());
    String key = template.map(SecretTemplate::getUrlKey).orElse("url");
    List<String> templatedKeys =
        template
            .map(SecretTemplate::getData)
            .map(data -> data.keySet().stream().sorted().toList())
            .orElse(List.of());
    return new SecretFact(name, key, templatedKeys);
  }

  private static UploadFact upload(Upload upload) {
    if (upload == null) {
      return null;
    }
    return new UploadFact(
        Optional.ofNullable(upload.getMaxSize()).map(Quantity::toString).orElse(null),
        Optional.ofNullable(upload.getMinSize()).map(Quantity::toString).orElse(null),
        upload.getContentType(),
        upload.getSuccessActionStatus());
  }

  private static Optional<ConditionFact> condition(PresignedObjectLinkStatus status, String type) {
    return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
        .filter(Objects::nonNull)
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .map(LinkFacts::fact);
  }

  private static ConditionFact fact(Condition condition) {
    return new ConditionFact(condition.getStatus(), condition.getReason(), condition.getMessage());
  }

  private static CredentialsFact credentials(LinkCredentials credentials, String expiresAt) {
    if (credentials != null && credentials.getServiceAccountName() != null) {
      return new CredentialsFact("serviceAccount", credentials.getServiceAccountName(), expiresAt);
    }
    if (credentials != null && credentials.getSecretRef() != null) {
      return new CredentialsFact("secret", credentials.getSecretRef().getName(), expiresAt);
    }
    return new CredentialsFact("operator", null, expiresAt);
  }

  /** The readers the operator names in the Ready message: workloads that keep their first URL. */
  static List<String> unrestartedReaders(String readyMessage) {
    if (readyMessage == null) {
      return List.of();
    }
    return Arrays.stream(readyMessage.split("; "))
        .filter(part -> part.contains(UNRESTARTED_READER))
        .toList();
  }

  private static List<EventFact> events(List<Event> events) {
    List<Event> sorted =
        events.stream()
            .sorted(
                Comparator.comparing(
                    LinkFacts::eventTime, Comparator.nullsFirst(String::compareTo)))
            .toList();
    return sorted.subList(Math.max(0, sorted.size() - RECENT_EVENTS), sorted.size()).stream()
        .map(
            e ->
                new EventFact(
                    e.getType(),
                    e.getReason(),
                    eventTime(e),
                    Optional.ofNullable(e.getCount()).orElse(1),
                    e.getMessage()))
        .toList();
  }

  private static String eventTime(Event event) {
    if (event.getLastTimestamp() != null) {
      return event.getLastTimestamp();
    }
    if (event.getEventTime() != null) {
      return event.getEventTime().getTime();
    }
    return event.getFirstTimestamp();
  }
}

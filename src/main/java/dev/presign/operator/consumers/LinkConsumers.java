package dev.presign.operator.consumers;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.api.v1alpha1.RestartTarget;
import dev.presign.operator.api.v1alpha1.TargetRestart;
import dev.presign.operator.report.EventReason;
import dev.presign.operator.report.LinkEvents;
import dev.presign.operator.report.LinkStatus;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.rotation.RotationGroup;
import dev.presign.operator.rotation.RotationGroup.Member;
import dev.presign.operator.rotation.RotationGroup.RestartDecision;
import dev.presign.operator.rotation.RotationGroup.RestartNow;
import dev.presign.operator.rotation.RotationGroup.WaitUntil;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Rule R9, the workloads that read a link's URL: the links that name the same restart target rotate
 * together and restart it once per rotation; workloads of the namespace that read the Secret in a
 * way that never sees a new URL are reported. Both look only at the link's own namespace.
 */
public final class LinkConsumers {

  private static final String BY_TARGET = "restart-target";

  /**
   * What the consumers of a link need from this pass.
   *
   * @param restarts the last restart of each target, for the status
   * @param recheckAt when to look again for a restart that waits for other links
   * @param unrestartedReaders workloads that never see a new URL, for the status and an event
   */
  public record Outcome(
      List<TargetRestart> restarts, Optional<Instant> recheckAt, List<String> unrestartedReaders) {}

  private final IndexerResourceCache<PresignedObjectLink> links;
  private final List<InformerEventSource<? extends HasMetadata, PresignedObjectLink>> workloads;
  private final LinkEvents events;

  private LinkConsumers(
      IndexerResourceCache<PresignedObjectLink> links,
      List<InformerEventSource<? extends HasMetadata, PresignedObjectLink>> workloads,
      LinkEvents events) {
    this.links = links;
    this.workloads = workloads;
    this.events = events;
  }

  /** Indexes links by restart target and watches the workload kinds, read-only. */
  public static LinkConsumers prepare(
      EventSourceContext<PresignedObjectLink> context, LinkEvents events) {
    IndexerResourceCache<PresignedObjectLink> links = context.getPrimaryCache();
    links.addIndexer(BY_TARGET, link -> targets(link).map(target -> key(link, target)).toList());
    List<InformerEventSource<? extends HasMetadata, PresignedObjectLink>> workloads =
        SecretReaders.KINDS.stream()
            .<InformerEventSource<? extends HasMetadata, PresignedObjectLink>>map(
                kind -> watch(kind, links, context))
            .toList();
    return new LinkConsumers(links, workloads, events);
  }

  public List<InformerEventSource<? extends HasMetadata, PresignedObjectLink>> eventSources() {
    return workloads;
  }

  /** When the other links that share a restart target with this one are renewed next. */
  public List<Instant> otherRenewals(PresignedObjectLink link) {
    return others(link)
        .map(PresignedObjectLink::getStatus)
        .filter(Objects::nonNull)
        .map(status -> instant(status.getRenewalTime()))
        .flatMap(Optional::stream)
        .toList();
  }

  /**
   * Restarts the targets whose links have all rotated (or waited long enough), and finds the
   * readers that never see a new URL.
   *
   * @throws RestartFailedException when a due restart fails; retried with backoff
   */
  public Outcome settle(
      PresignedObjectLink link,
      String secretName,
      IssuedUrl issued,
      Instant now,
      Context<PresignedObjectLink> context) {
    List<TargetRestart> records = new ArrayList<>();
    List<String> restarted = new ArrayList<>();
    Optional<Instant> recheckAt = Optional.empty();
    String namespace = link.getMetadata().getNamespace();
    for (RestartTarget target : targets(link).toList()) {
      List<PresignedObjectLink> group = links.byIndex(BY_TARGET, key(link, target));
      Optional<Instant> lastRestart = lastRestart(link, group, target);
      List<Member> members = new ArrayList<>();
      members.add(member(issued, true));
      group.stream()
          .filter(other -> !ResourceID.fromResource(other).equals(ResourceID.fromResource(link)))
          .map(other -> member(other, now))
          .flatMap(Optional::stream)
          .forEach(members::add);
      RestartDecision decision = RotationGroup.restart(members, lastRestart, now);
      if (decision instanceof RestartNow restart) {
        if (RestartTargets.restart(context.getClient(), namespace, target, restart.restartedAt())) {
          restarted.add(RestartTargets.describe(target));
        }
        lastRestart = Optional.of(restart.restartedAt());
      } else if (decision instanceof WaitUntil wait
          && recheckAt.map(wait.time()::isBefore).orElse(true)) {
        recheckAt = Optional.of(wait.time());
      }
      lastRestart.ifPresent(
          at ->
              records.add(
                  new TargetRestart(target.getKind().name(), target.getName(), at.toString())));
    }
    if (!restarted.isEmpty()) {
      events.record(
          link,
          EventReason.RestartedTargets,
          "Restarted " + String.join(", ", restarted) + " for the new URLs");
    }
    List<String> readers =
        SecretReaders.unrestarted(
            secretName,
            link.getSpec().getRestartTargets(),
            workloads.stream().flatMap(source -> source.list(namespace)).toList());
    return new Outcome(records, recheckAt, readers);
  }

  private Stream<PresignedObjectLink> others(PresignedObjectLink link) {
    return targets(link)
        .flatMap(target -> links.byIndex(BY_TARGET, key(link, target)).stream())
        .filter(other -> !ResourceID.fromResource(other).equals(ResourceID.fromResource(link)))
        .distinct();
  }

  /** The latest restart any link of the group recorded for the target. */
  private static Optional<Instant> lastRestart(
      PresignedObjectLink link, Collection<PresignedObjectLink> group, RestartTarget target) {
    return Stream.concat(Stream.of(link), group.stream())
        .map(PresignedObjectLink::getStatus)
        .filter(Objects::nonNull)
        .map(PresignedObjectLinkStatus::getRestarts)
        .filter(Objects::nonNull)
        .flatMap(List::stream)
        .filter(record -> target.getKind().name().equals(record.getKind()))
        .filter(record -> target.getName().equals(record.getName()))
        .map(record -> instant(record.getRestartedAt()))
        .flatMap(Optional::stream)
        .max(Comparator.naturalOrder());
  }

  private static Member member(IssuedUrl issued, boolean current) {
    return new Member(
        issued.issuedAt(), issued.renewalTime(), issued.expiresAt(), issued.rotations(), current);
  }

  /** What another link's status says of its URL; empty while it has none. */
  private static Optional<Member> member(PresignedObjectLink other, Instant now) {
    PresignedObjectLinkStatus status = other.getStatus();
    if (status == null) {
      return Optional.of(new Member(now, now, now, 0, false));
    }
    Optional<Instant> issuedAt = instant(status.getIssuedAt());
    Optional<Instant> renewal = instant(status.getRenewalTime());
    Optional<Instant> expiresAt = instant(status.getExpiresAt());
    if (issuedAt.isEmpty() || renewal.isEmpty() || expiresAt.isEmpty()) {
      return Optional.of(new Member(now, now, now, 0, false));
    }
    boolean current =
        Objects.equals(status.getObservedGeneration(), other.getMetadata().getGeneration())
            && status.getConditions().stream()
                .anyMatch(
                    c -> LinkStatus.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    return Optional.of(
        new Member(
            issuedAt.get(),
            renewal.get(),
            expiresAt.get(),
            Optional.ofNullable(status.getRotations()).orElse(0L),
            current));
  }

  private static Stream<RestartTarget> targets(PresignedObjectLink link) {
    return Optional.ofNullable(link.getSpec())
        .map(spec -> spec.getRestartTargets())
        .orElse(List.of())
        .stream()
        .filter(target -> target != null && target.getKind() != null && target.getName() != null);
  }

  private static String key(PresignedObjectLink link, RestartTarget target) {
    return link.getMetadata().getNamespace() + "/" + RestartTargets.describe(target);
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.ofNullable(text).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static <W extends HasMetadata> InformerEventSource<W, PresignedObjectLink> watch(
      Class<W> kind,
      IndexerResourceCache<PresignedObjectLink> links,
      EventSourceContext<PresignedObjectLink> context) {
    // A change to a workload concerns the links of its namespace only.
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(kind, PresignedObjectLink.class)
            .withName(kind.getSimpleName().toLowerCase() + "-readers")
            .withSecondaryToPrimaryMapper(
                workload ->
                    links
                        .list(workload.getMetadata().getNamespace())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }
}

package dev.presign.operator.secret;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.validation.SecretTarget;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The share of the links this operator serves (presign.selector), and of their Secrets. A Secret
 * carries the labels of its link that the selector names, so that the same selector, added to the
 * managed-by one, picks exactly the Secrets of the links served: each of several operators caches
 * its own share of the Secrets, not all of the cluster's.
 */
public final class Shard {

  // A requirement starts with its key, after the "!" of "does not exist".
  private static final Pattern KEY = Pattern.compile("^!?\\s*([A-Za-z0-9._/-]+)");

  private final Optional<String> selector;
  private final List<String> keys;

  private Shard(Optional<String> selector, List<String> keys) {
    this.selector = selector;
    this.keys = keys;
  }

  public static Shard of(Optional<String> selector) {
    Optional<String> given = selector.map(String::trim).filter(s -> !s.isEmpty());
    return new Shard(given, given.map(Shard::keys).orElse(List.of()));
  }

  /**
   * The links this operator serves (presign.selector). Its informers list without pages, as
   * client-go's do: a list without a limit is served from the API server's watch cache, while each
   * page of a paged list is a read from etcd, which at 10,000 links held the first URL back by
   * seconds.
   */
  public void watchLinks(ControllerConfigurationOverrider<PresignedObjectLink> configuration) {
    linkSelector().ifPresent(configuration::withLabelSelector);
  }

  /**
   * The Secrets the operator manages, never all of the cluster's, and of those only the Secrets of
   * the links this operator serves.
   */
  InformerEventSource<Secret, PresignedObjectLink> watchSecrets(
      EventSourceContext<PresignedObjectLink> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, PresignedObjectLink.class)
            .withLabelSelector(secretSelector())
            .build(),
        context);
  }

  Optional<String> linkSelector() {
    return selector;
  }

  /** The label selector of the Secrets of the links served. */
  String secretSelector() {
    return selector
        .map(s -> LinkSecrets.MANAGED_SELECTOR + "," + s)
        .orElse(LinkSecrets.MANAGED_SELECTOR);
  }

  /** The Secret of the link, with the labels that put it in this shard. */
  SecretTarget target(PresignedObjectLink link, SecretTarget target) {
    Map<String, String> shardLabels = labelsOf(link);
    if (shardLabels.isEmpty()) {
      return target;
    }
    Map<String, String> labels = new HashMap<>(target.labels());
    labels.putAll(shardLabels);
    return new SecretTarget(
        target.name(), target.urlKey(), labels, target.annotations(), target.data());
  }

  /** The labels of the link the selector names, which its Secret carries too. */
  Map<String, String> labelsOf(PresignedObjectLink link) {
    Map<String, String> labels = new TreeMap<>();
    Map<String, String> own = link.getMetadata().getLabels();
    if (own != null) {
      keys.stream().filter(own::containsKey).forEach(key -> labels.put(key, own.get(key)));
    }
    return labels;
  }

  /** The keys of the requirements, split at the commas that are not inside "in (a,b)". */
  private static List<String> keys(String selector) {
    List<String> keys = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= selector.length(); i++) {
      char c = i < selector.length() ? selector.charAt(i) : ',';
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        Matcher key = KEY.matcher(selector.substring(start, i).trim());
        if (key.find()) {
          keys.add(key.group(1));
        }
        start = i + 1;
      }
    }
    return List.copyOf(keys);
  }
}

package dev.presign.operator.it;

import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import dev.presign.operator.validation.LinkValidator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** What a user does with links and their Secrets, through the Kubernetes API. */
public final class Links {

  private final KubernetesClient client;
  private final String namespace;
  private final URI s3Endpoint;

  /**
   * @param s3Endpoint the S3-compatible server the links of {@link #create(String, String, String,
   *     Consumer)} point at
   */
  public Links(KubernetesClient client, String namespace, URI s3Endpoint) {
    this.client = client;
    this.namespace = namespace;
    this.s3Endpoint = s3Endpoint;
  }

  /**
   * A GET link to an object in S3Proxy; {@code customize} changes the spec before it is created.
   */
  public PresignedObjectLink create(
      String name, String bucket, String key, Consumer<PresignedObjectLinkSpec> customize) {
    PresignedObjectLinkSpec spec = new PresignedObjectLinkSpec();
    spec.setBucket(bucket);
    spec.setKey(key);
    spec.setMethod(HttpMethod.GET);
    spec.setEndpoint(s3Endpoint.toString());
    spec.setForcePathStyle(true);
    customize.accept(spec);
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    link.setSpec(spec);
    return create(link);
  }

  /** Creates a link written elsewhere, such as an example manifest, in this namespace. */
  public PresignedObjectLink create(PresignedObjectLink link) {
    return client.resource(link).inNamespace(namespace).create();
  }

  public PresignedObjectLink get(String name) {
    return client.resources(PresignedObjectLink.class).inNamespace(namespace).withName(name).get();
  }

  public void edit(String name, Consumer<PresignedObjectLinkSpec> change) {
    editLink(name, link -> change.accept(link.getSpec()));
  }

  /** Sets an annotation of the link, as `kubectl annotate --overwrite` does. */
  public void annotate(String name, String key, String value) {
    editLink(name, link -> link.getMetadata().getAnnotations().put(key, value));
  }

  /** Sets a label of the link, as `kubectl label --overwrite` does. */
  public void label(String name, String key, String value) {
    editLink(name, link -> link.getMetadata().getLabels().put(key, value));
  }

  /**
   * Fabric8's edit sends the resourceVersion it read, so an edit made while the operator patches
   * the link's status is refused with 409; like a user, the edit is then made again on the link
   * read anew.
   */
  private void editLink(String name, Consumer<PresignedObjectLink> change) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsMatching(
            failure ->
                failure instanceof KubernetesClientException refusal && refusal.getCode() == 409)
        .until(
            () ->
                client
                        .resources(PresignedObjectLink.class)
                        .inNamespace(namespace)
                        .withName(name)
                        .edit(
                            link -> {
                              change.accept(link);
                              return link;
                            })
                    != null);
  }

  /**
   * Records each status the link is given from now on, as a watch sees them: one per status write.
   * Close it to stop.
   */
  public StatusHistory watchStatuses(String name) {
    List<PresignedObjectLinkStatus> statuses = new CopyOnWriteArrayList<>();
    Watch watch =
        client
            .resources(PresignedObjectLink.class)
            .inNamespace(namespace)
            .withName(name)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, PresignedObjectLink link) {
                    PresignedObjectLinkStatus status = link.getStatus();
                    if (status != null
                        && (statuses.isEmpty()
                            || !statuses.get(statuses.size() - 1).equals(status))) {
                      statuses.add(status);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    return new StatusHistory(statuses, watch);
  }

  /** The statuses a link was given, in order, while watched. */
  public record StatusHistory(List<PresignedObjectLinkStatus> statuses, Watch watch)
      implements AutoCloseable {
    @Override
    public void close() {
      watch.close();
    }
  }

  /** A write refused because the object changed since it was read (409 Conflict). */
  public static boolean isConflict(Throwable failure) {
    return failure instanceof KubernetesClientException refusal && refusal.getCode() == 409;
  }

  public void editSecret(String secretName, UnaryOperator<Secret> change) {
    client.secrets().inNamespace(namespace).withName(secretName).edit(change);
  }

  public static SecretTemplate secretTemplate(String secretName) {
    SecretTemplate template = new SecretTemplate();
    template.setName(secretName);
    return template;
  }

  public Optional<Condition> ready(String name) {
    return condition(name, "Ready");
  }

  /** The link's condition of this type, if it has one. */
  public Optional<Condition> condition(String name, String type) {
    return Optional.ofNullable(get(name))
        .map(PresignedObjectLink::getStatus)
        .flatMap(
            status ->
                status.getConditions().stream()
                    .filter(condition -> type.equals(condition.getType()))
                    .findFirst());
  }

  /** Waits until the link has Warning events, and returns their reasons. */
  public List<String> awaitWarnings(String name) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client.v1().events().inNamespace(namespace).list().getItems().stream()
                    .filter(event -> name.equals(event.getInvolvedObject().getName()))
                    .filter(event -> "Warning".equals(event.getType()))
                    .map(Event::getReason)
                    .toList(),
            reasons -> !reasons.isEmpty());
  }

  /** Waits until the link's Ready condition has the reason given, and returns it. */
  public Condition awaitReason(String name, String reason) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ready(name).filter(c -> reason.equals(c.getReason())), Optional::isPresent)
        .orElseThrow();
  }

  /** Waits until the link is Ready and returns the URL its Secret holds. */
  public String awaitUrl(String name) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ready(name).map(c -> "True".equals(c.getStatus())).orElse(false));
    return currentUrl(name);
  }

  /** Waits until the link's Secret holds a URL other than {@code previous}, and returns it. */
  public String awaitNextUrl(String name, String previous, Duration within) {
    return await().atMost(within).until(() -> currentUrl(name), url -> !url.equals(previous));
  }

  /** The URL in the Secret the link's status names, under the key its template names. */
  public String currentUrl(String name) {
    PresignedObjectLink link = get(name);
    String urlKey =
        Optional.ofNullable(link.getSpec().getSecretTemplate())
            .map(SecretTemplate::getUrlKey)
            .orElse(LinkValidator.DEFAULT_URL_KEY);
    return data(secret(link.getStatus().getSecretName()), urlKey);
  }

  public Secret secret(String secretName) {
    return client.secrets().inNamespace(namespace).withName(secretName).get();
  }

  /** The URL in the link's Secret (named after the link unless the template names it). */
  public String url(String secretName) {
    return data(secret(secretName), "url");
  }

  public static String data(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}

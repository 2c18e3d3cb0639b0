package dev.presign.operator.policy;

import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.validation.ValidLink;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The policy in force for the operator's own identity (R7), from {@code presign.policy-file}.
 *
 * <ul>
 *   <li>No file configured: every link may be signed with the operator's identity.
 *   <li>A file that is missing or malformed at start stops the operator, with the line at fault.
 *   <li>The file is read again every {@code presign.policy-reload-interval}; a changed policy is
 *       applied and the links it governs are evaluated again. A file broken while running is
 *       reported and the last good policy stays in force: stopping would leave URLs unrotated.
 *   <li>Namespace labels, for rules with a namespaceSelector, are read ({@link NamespaceLabels})
 *       only while such a rule exists; a change of labels re-evaluates that namespace.
 * </ul>
 */
@ApplicationScoped
@Startup // read at start, so that a malformed file stops the operator before it acts
public class SigningPolicy {

  private static final Logger LOG = Logger.getLogger(SigningPolicy.class);

  private final Optional<Path> file;
  private final NamespaceLabels namespaceLabels;
  private final List<Consumer<Predicate<String>>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService reloader;
  private volatile String lastReadText;
  private volatile Optional<Policy> policy;
  private volatile boolean readingLabels;

  @Inject
  public SigningPolicy(PresignConfig config, NamespaceLabels namespaceLabels) {
    this(config.policyFile(), config.policyReloadInterval(), namespaceLabels);
  }

  /**
   * @param file empty: no policy, everything permitted
   * @param namespaceLabels read only while a rule selects namespaces by label
   * @throws PolicyFileException when the file cannot be read or is malformed
   */
  public SigningPolicy(
      Optional<Path> file, Duration reloadInterval, NamespaceLabels namespaceLabels) {
    this.file = file;
    this.namespaceLabels = namespaceLabels;
    this.lastReadText = file.map(SigningPolicy::read).orElse(null);
    this.policy = file.map(path -> PolicyFile.parse(lastReadText, path.toString()));
    policy.ifPresent(
        loaded -> LOG.infof("policy %s: %d rules", loaded.source(), loaded.rules().size()));
    watchNamespacesIfSelected();
    if (file.isPresent()) {
      reloader =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "policy-reload");
                thread.setDaemon(true);
                return thread;
              });
      reloader.scheduleWithFixedDelay(
          this::reload,
          reloadInterval.toMillis(),
          reloadInterval.toMillis(),
          TimeUnit.MILLISECONDS);
    } else {
      reloader = null;
    }
  }

  /**
   * Whether the policy governs a link with these {@code spec.credentials}: only links signed with
   * the operator's own identity. Links with their own credentials sign with what their namespace
   * holds.
   */
  public static boolean governs(LinkCredentials credentials) {
    return credentials == null;
  }

  /** Why the link may not be signed; empty when it may or when the policy does not govern it. */
  public Optional<String> denial(String namespace, ValidLink link) {
    if (!governs(link.credentials())) {
      return Optional.empty();
    }
    RequestedAccess access =
        new RequestedAccess(
            namespace,
            link.request().bucket(),
            // A POST key ending in ${filename} may become any key with the part before it.
            link.request().fixedKeyPart(),
            link.request().method(),
            link.expiresIn());
    return policy.flatMap(rules -> rules.denial(access, this::labels));
  }

  /**
   * Registers {@code listener} to hear which namespaces' links to evaluate again after the policy
   * or a namespace's labels changed.
   */
  public void onChange(Consumer<Predicate<String>> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<Predicate<String>> listener) {
    listeners.remove(listener);
  }

  /** Reads the file again and applies it when its content changed. */
  void reload() {
    Path path = file.orElseThrow();
    try {
      String text = read(path);
      if (text.equals(lastReadText)) {
        return;
      }
      // A broken file is reported once, not at every poll, and read again when it changes.
      lastReadText = text;
      Policy reloaded = PolicyFile.parse(text, path.toString());
      policy = Optional.of(reloaded);
      LOG.infof("policy %s changed: %d rules", path, reloaded.rules().size());
      watchNamespacesIfSelected();
      notifyListeners(namespace -> true);
    } catch (PolicyFileException e) {
      LOG.errorf("%s; the policy read before stays in force", e.getMessage());
    } catch (RuntimeException e) {
      // The reload thread must survive anything, or the policy would silently stop following
      // the file.
      LOG.errorf(e, "reloading the policy %s failed; the policy read before stays in force", path);
    }
  }

  private Map<String, String> labels(String namespace) {
    return readingLabels ? namespaceLabels.of(namespace) : Map.of();
  }

  private synchronized void watchNamespacesIfSelected() {
    boolean needed = policy.map(Policy::selectsNamespacesByLabel).orElse(false);
    if (needed && !readingLabels) {
      // Labels decide what selector rules cover, so a namespace whose labels change is evaluated
      // again.
      namespaceLabels.start(name -> notifyListeners(name::equals));
      readingLabels = true;
    } else if (!needed && readingLabels) {
      namespaceLabels.stop();
      readingLabels = false;
    }
  }

  private void notifyListeners(Predicate<String> namespaces) {
    listeners.forEach(listener -> listener.accept(namespaces));
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PolicyFileException("cannot read the policy file " + path + ": " + e, e);
    }
  }

  @PreDestroy
  synchronized void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
    if (readingLabels) {
      namespaceLabels.stop();
    }
  }
}

package dev.presign.cli;

import dev.presign.cli.LinkFacts.ConditionFact;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = {
      "Ask the operator for a new URL now, by setting the annotation"
          + " presign.dev/rotate-requested-at. The old URL stays valid until its own expiry.",
      "With --wait, waits until each link's status says the request was handled and prints the old"
          + " and new expiry; a link not Ready or not handled in time is named and the exit status"
          + " is 1."
    })
class RotateCommand implements Callable<Integer> {

  /** How often --wait reads the links. */
  static final Duration POLL = Duration.ofMillis(250);

  @ParentCommand PresignCommand root;
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  static class Which {
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Links to rotate.")
    List<String> names;

    @Option(
        names = {"-l", "--selector"},
        paramLabel = "SELECTOR",
        description = "Rotate the links with these labels.")
    String selector;

    @Option(names = "--all", description = "Rotate every link of the namespace (with -A: all).")
    boolean all;
  }

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "With -l or --all: the links of every namespace.")
  boolean allNamespaces;

  @Option(
      names = "--wait",
      arity = "0..1",
      fallbackValue = "2m",
      paramLabel = "DURATION",
      converter = DurationArgument.class,
      description = "Wait for the new URLs, at most this long (default when given: 2m).")
  Duration wait;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (allNamespaces && which.names != null) {
      err.println("error: -A applies to --selector and --all, not to names");
      return ExitCode.USAGE;
    }
    String request = root.clock().instant().toString();
    boolean failed = false;
    try (KubernetesClient client = root.kube().client()) {
      String namespace = allNamespaces ? null : root.kube().namespace(client);
      List<PresignedObjectLink> links = new ArrayList<>();
      if (which.names != null) {
        for (String name : which.names) {
          PresignedObjectLink link = Links.of(client).inNamespace(namespace).withName(name).get();
          if (link == null) {
            err.println(Links.notFound(name));
            failed = true;
          } else {
            links.add(link);
          }
        }
      } else {
        links.addAll(Links.list(client, namespace, which.selector));
        if (links.isEmpty()) {
          err.println("error: no links matched");
          return ExitCode.FAILED;
        }
      }
      Map<PresignedObjectLink, Optional<String>> requested = new LinkedHashMap<>();
      for (PresignedObjectLink link : links) {
        try {
          request(client, link, request);
          out.println(
              Links.KIND
                  + "/"
                  + link.getMetadata().getName()
                  + " rotation requested ("
                  + Links.ROTATE_REQUESTED_AT
                  + "="
                  + request
                  + ")");
          requested.put(link, Optional.ofNullable(link.getStatus()).map(s -> s.getExpiresAt()));
        } catch (KubernetesClientException e) {
          err.println(name(link) + ": " + ApiErrors.describe(e));
          failed = true;
        }
      }
      if (wait != null && !requested.isEmpty()) {
        failed |= !await(client, requested, request, out, err);
      }
    } catch (KubernetesClientException e) {
      err.println(ApiErrors.describe(e));
      return ExitCode.FAILED;
    }
    return ExitCode.worst(failed);
  }

  private static void request(KubernetesClient client, PresignedObjectLink link, String value) {
    // A merge patch of the one annotation: nothing else of the stored link is sent back.
    String patch =
        "{\"metadata\":{\"annotations\":{\""
            + Links.ROTATE_REQUESTED_AT
            + "\":\""
            + value
            + "\"}}}";
    Links.of(client)
        .inNamespace(link.getMetadata().getNamespace())
        .withName(link.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** Waits for each link's status to record the request; names each link that did not. */
  private boolean await(
      KubernetesClient client,
      Map<PresignedObjectLink, Optional<String>> requested,
      String request,
      PrintWriter out,
      PrintWriter err) {
    Instant deadline = root.clock().instant().plus(wait);
    Map<PresignedObjectLink, Optional<String>> pending = new LinkedHashMap<>(requested);
    Map<PresignedObjectLink, PresignedObjectLink> latest = new LinkedHashMap<>();
    boolean allDone = true;
    while (!pending.isEmpty()) {
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        PresignedObjectLink link = entry.getKey();
        PresignedObjectLink now =
            Links.of(client)
                .inNamespace(link.getMetadata().getNamespace())
                .withName(link.getMetadata().getName())
                .get();
        latest.put(link, now);
        Outcome outcome = Outcome.of(now, request);
        if (outcome == Outcome.PENDING) {
          continue;
        }
        it.remove();
        if (outcome == Outcome.ROTATED) {
          String before = entry.getValue().orElse(null);
          String after = now.getStatus().getExpiresAt();
          out.println(
              Links.KIND
                  + "/"
                  + link.getMetadata().getName()
                  + " rotated: the old URL expires "
                  + StatusView.time(before, root.clock().instant())
                  + ", the new one "
                  + StatusView.time(after, root.clock().instant()));
        } else {
          err.println(name(link) + " will not be rotated: " + describeReady(now));
          allDone = false;
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      if (!root.clock().instant().isBefore(deadline)) {
        for (PresignedObjectLink link : pending.keySet()) {
          err.println(
              name(link)
                  + ": the request was not handled within "
                  + RelativeTime.span(wait)
                  + " ("
                  + describeReady(latest.get(link))
                  + ")");
        }
        return false;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return allDone;
  }

  /** Where a link stands after a rotation request. */
  enum Outcome {
    /** The status records the request and the link is Ready: the new URL is in the Secret. */
    ROTATED,
    /** The link is gone, or Stalled: only a change by a person helps, waiting will not. */
    FAILED,
    PENDING;

    static Outcome of(PresignedObjectLink link, String request) {
      if (link == null) {
        return FAILED;
      }
      PresignedObjectLinkStatus status = link.getStatus();
      if (status == null) {
        return PENDING;
      }
      boolean handled = request.equals(status.getLastHandledRotationRequest());
      if (handled && isTrue(status, "Ready")) {
        return ROTATED;
      }
      return isTrue(status, "Stalled") ? FAILED : PENDING;
    }

    private static boolean isTrue(PresignedObjectLinkStatus status, String type) {
      return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
          .filter(Objects::nonNull)
          .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
  }

  private static String describeReady(PresignedObjectLink link) {
    if (link == null) {
      return "the link was deleted";
    }
    ConditionFact ready = LinkFacts.of(link).ready();
    return "Ready " + StatusView.condition(ready, true);
  }

  private static String name(PresignedObjectLink link) {
    return link.getMetadata().getNamespace() + "/" + link.getMetadata().getName();
  }
}

package dev.presign.cli;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show links: Ready and Verified with their reasons, when the URL expires and is rotated next,"
          + " the credentials, rotations, restarts of restart targets and readers that never see a"
          + " new URL; with one NAME, the link's recent events.",
      "Exits 1 when a link shown is not Ready (or not found)."
    })
class StatusCommand implements Callable<Integer> {

  @ParentCommand PresignCommand root;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Links to show (default: all).")
  List<String> names = new ArrayList<>();

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Show the links of every namespace.")
  boolean allNamespaces;

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description = "Label selector, e.g. team=reports.")
  String selector;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Print the facts as data: ${COMPLETION-CANDIDATES}.")
  Output output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!names.isEmpty() && (allNamespaces || selector != null)) {
      err.println("error: name cannot be given with -A or --selector");
      return ExitCode.USAGE;
    }
    boolean failed = false;
    List<LinkFacts> facts = new ArrayList<>();
    try (KubernetesClient client = root.kube().client()) {
      String namespace = allNamespaces ? null : root.kube().namespace(client);
      if (names.isEmpty()) {
        for (PresignedObjectLink link : Links.list(client, namespace, selector)) {
          facts.add(LinkFacts.of(link));
        }
        if (facts.isEmpty() && output == null) {
          err.println(
              namespace == null
                  ? "No resources found"
                  : "No resources found in " + namespace + " namespace.");
        }
      } else {
        for (String name : names) {
          PresignedObjectLink link = Links.of(client).inNamespace(namespace).withName(name).get();
          if (link == null) {
            err.println(Links.notFound(name));
            failed = true;
            continue;
          }
          facts.add(
              names.size() == 1
                  ? LinkFacts.of(link, Links.events(client, link))
                  : LinkFacts.of(link));
        }
      }
    } catch (KubernetesClientException e) {
      err.println(ApiErrors.describe(e));
      return ExitCode.FAILED;
    }
    if (output != null) {
      out.print(output.write(Map.of("links", facts)));
    } else {
      StatusView view = new StatusView(root.clock());
      for (int i = 0; i < facts.size(); i++) {
        if (i > 0) {
          out.println();
        }
        out.print(view.render(facts.get(i)));
      }
    }
    failed |= facts.stream().anyMatch(f -> !f.ready().isTrue());
    return ExitCode.worst(failed);
  }
}

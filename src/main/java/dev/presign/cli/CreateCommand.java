package dev.presign.cli;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.RestartTarget;
import dev.presign.operator.api.v1alpha1.SecretKeysReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create a link, as kubectl create does: the API server validates it and its messages are"
          + " shown as they come.",
      "Example: kubectl presign create q3-report --bucket acme-reports --key reports/q3.pdf"
          + " --expires-in 12h --restart deployment/mailer"
    })
class CreateCommand implements Callable<Integer> {

  /** kubectl's --dry-run values. */
  enum DryRun {
    none,
    client,
    server
  }

  @ParentCommand PresignCommand root;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "Name of the link.")
  String name;

  @Option(names = "--bucket", required = true, paramLabel = "BUCKET", description = "S3 bucket.")
  String bucket;

  @Option(names = "--key", required = true, paramLabel = "KEY", description = "Object key.")
  String key;

  @Option(
      names = "--method",
      paramLabel = "METHOD",
      completionCandidates = UrlMethods.class,
      description = "${COMPLETION-CANDIDATES} (default: GET).")
  HttpMethod method;

  /** The methods a link needs no more than these options for: a POST link needs its upload. */
  static final class UrlMethods implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of(HttpMethod.GET.name(), HttpMethod.PUT.name()).iterator();
    }
  }

  @Option(
      names = "--expires-in",
      paramLabel = "DURATION",
      description = "Lifetime of each URL, e.g. 12h (default: 1h).")
  String expiresIn;

  @Option(
      names = "--renew-before",
      paramLabel = "DURATION",
      description = "Rotate this long before expiry (default: a third of --expires-in).")
  String renewBefore;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "An S3-compatible endpoint (MinIO, Ceph RGW, R2...) instead of AWS S3.")
  String endpoint;

  @Option(
      names = "--path-style",
      description = "Address the bucket in the path (most S3-compatible services need it).")
  boolean pathStyle;

  @ArgGroup(exclusive = true)
  Credentials credentials;

  static class Credentials {
    @Option(
        names = "--service-account",
        paramLabel = "NAME",
        description = "Sign as this ServiceAccount's IAM role.")
    String serviceAccount;

    @Option(
        names = "--secret-ref",
        paramLabel = "NAME",
        description = "Sign with the keys of this Secret.")
    String secretRef;
  }

  @Option(
      names = "--restart",
      paramLabel = "KIND/NAME",
      description =
          "A workload to restart after each rotation: deployment/NAME, statefulset/NAME or"
              + " daemonset/NAME. Repeatable.")
  List<String> restarts = new ArrayList<>();

  @Option(
      names = "--dry-run",
      paramLabel = "MODE",
      arity = "0..1",
      fallbackValue = "client",
      description =
          "client: only print what would be sent; server: the API server validates it and stores"
              + " nothing. Default: none.")
  DryRun dryRun = DryRun.none;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Print the link as ${COMPLETION-CANDIDATES}.")
  Output output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<RestartTarget> targets;
    try {
      targets = restarts.stream().map(CreateCommand::restartTarget).toList();
    } catch (TypeConversionException e) {
      err.println("error: " + e.getMessage());
      return ExitCode.USAGE;
    }
    try (KubernetesClient client = root.kube().client()) {
      PresignedObjectLink link = link(root.kube().namespace(client), targets);
      PresignedObjectLink result =
          switch (dryRun) {
            case client -> link;
            case server -> Links.of(client).resource(link).dryRun().create();
            case none -> Links.of(client).resource(link).create();
          };
      if (output != null) {
        String text =
            output == Output.yaml
                ? client.getKubernetesSerialization().asYaml(result)
                : client.getKubernetesSerialization().asJson(result);
        out.print(text.startsWith("---\n") ? text.substring(4) : text);
        if (!text.endsWith("\n")) {
          out.println();
        }
      } else {
        out.println(
            Links.KIND
                + "/"
                + name
                + " created"
                + switch (dryRun) {
                  case client -> " (dry run)";
                  case server -> " (server dry run)";
                  case none -> "";
                });
      }
      return ExitCode.OK;
    } catch (KubernetesClientException e) {
      err.println(ApiErrors.describe(e));
      return ExitCode.FAILED;
    }
  }

  PresignedObjectLink link(String namespace, List<RestartTarget> targets) {
    PresignedObjectLinkSpec linkSpec = new PresignedObjectLinkSpec();
    linkSpec.setBucket(bucket);
    linkSpec.setKey(key);
    linkSpec.setMethod(method == null ? HttpMethod.GET : method);
    if (expiresIn != null) {
      linkSpec.setExpiresIn(expiresIn);
    }
    linkSpec.setRenewBefore(renewBefore);
    linkSpec.setEndpoint(endpoint);
    linkSpec.setForcePathStyle(pathStyle ? Boolean.TRUE : null);
    if (credentials != null) {
      LinkCredentials linkCredentials = new LinkCredentials();
      linkCredentials.setServiceAccountName(credentials.serviceAccount);
      if (credentials.secretRef != null) {
        SecretKeysReference reference = new SecretKeysReference();
        reference.setName(credentials.secretRef);
        linkCredentials.setSecretRef(reference);
      }
      linkSpec.setCredentials(linkCredentials);
    }
    linkSpec.setRestartTargets(targets.isEmpty() ? null : targets);
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    link.setSpec(linkSpec);
    link.setStatus(null);
    return link;
  }

  /** deployment/NAME (or deploy/, statefulset/, sts/, daemonset/, ds/) as a restart target. */
  static RestartTarget restartTarget(String value) {
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1) {
      throw new TypeConversionException(
          "--restart takes KIND/NAME, e.g. deployment/mailer, not '" + value + "'");
    }
    RestartTarget.Kind kind =
        switch (value.substring(0, slash).toLowerCase(Locale.ROOT)) {
          case "deployment", "deployments", "deploy" -> RestartTarget.Kind.Deployment;
          case "statefulset", "statefulsets", "sts" -> RestartTarget.Kind.StatefulSet;
          case "daemonset", "daemonsets", "ds" -> RestartTarget.Kind.DaemonSet;
          default ->
              throw new TypeConversionException(
                  "--restart: '"
                      + value.substring(0, slash)
                      + "' is not deployment, statefulset or daemonset");
        };
    RestartTarget target = new RestartTarget();
    target.setKind(kind);
    target.setName(value.substring(slash + 1));
    return target;
  }
}

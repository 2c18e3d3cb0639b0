package dev.presign.cli;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "url",
    mixinStandardHelpOptions = true,
    description = {
      "Print the link's current URL, read from its Secret, on stdout; on stderr, how long it stays"
          + " valid. The URL is a bearer credential: whoever holds it may use it until it expires.",
      "For a POST link, print instead a curl command that uploads a file through the link's form"
          + " (--file; the form's fields are as much a credential as a URL).",
      "Exits 1 when the link is not Ready or its Secret may not be read."
    })
class UrlCommand implements Callable<Integer> {

  @ParentCommand PresignCommand root;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The link.")
  String name;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description =
          "POST links: the file the curl command uploads. Default: "
              + CurlForm.FILE_PLACEHOLDER
              + ", to replace.")
  Path file;

  @Option(
      names = "--content-type",
      paramLabel = "TYPE",
      description =
          "POST links that allow a prefix (image/) or any Content-Type: the type the upload"
              + " declares. Default: guessed from the file's name.")
  String contentType;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (KubernetesClient client = root.kube().client()) {
      String namespace = root.kube().namespace(client);
      PresignedObjectLink link = Links.of(client).inNamespace(namespace).withName(name).get();
      if (link == null) {
        err.println(Links.notFound(name));
        return ExitCode.FAILED;
      }
      LinkFacts facts = LinkFacts.of(link);
      if (!facts.ready().isTrue()) {
        err.println(
            "error: link "
                + namespace
                + "/"
                + name
                + " is not Ready, "
                + StatusView.condition(facts.ready(), true)
                + "; see kubectl presign status "
                + name
                + " -n "
                + namespace);
        return ExitCode.FAILED;
      }
      LinkFacts.SecretFact where = facts.secret();
      Secret secret;
      try {
        secret = client.secrets().inNamespace(namespace).withName(where.name()).get();
      } catch (KubernetesClientException e) {
        if (ApiErrors.isForbidden(e)) {
          err.println(
              "error: you may not read Secret "
                  + where.name()
                  + " in namespace "
                  + namespace
                  + ", which holds the URL of link "
                  + name
                  + ": the URL is a credential, and reading it takes get on secrets there"
                  + " (kubectl auth can-i get secret/"
                  + where.name()
                  + " -n "
                  + namespace
                  + "). "
                  + ApiErrors.describe(e));
          return ExitCode.FAILED;
        }
        throw e;
      }
      Optional<String> url = data(secret, where.key());
      if (url.isEmpty()) {
        err.println(
            "error: Secret "
                + namespace
                + "/"
                + where.name()
                + (secret == null ? " does not exist" : " has no key " + where.key())
                + "; the operator restores it at its next reconcile");
        return ExitCode.FAILED;
      }
      if (HttpMethod.POST.name().equals(facts.method())) {
        return printCurl(secret, url.get(), facts, namespace, where.name(), out, err);
      }
      out.println(url.get());
      err.println(StatusView.validity(facts, root.clock().instant()));
      return ExitCode.OK;
    } catch (KubernetesClientException e) {
      err.println(ApiErrors.describe(e));
      return ExitCode.FAILED;
    }
  }

  private int printCurl(
      Secret secret,
      String action,
      LinkFacts facts,
      String namespace,
      String secretName,
      PrintWriter out,
      PrintWriter err) {
    Optional<String> fields = data(secret, "fields");
    if (fields.isEmpty()) {
      err.println(
          "error: Secret "
              + namespace
              + "/"
              + secretName
              + " has no key fields; the operator restores it at its next reconcile");
      return ExitCode.FAILED;
    }
    String allowed = facts.upload() == null ? null : facts.upload().contentType();
    Optional<String> type =
        Optional.ofNullable(contentType)
            .or(() -> Optional.ofNullable(file).flatMap(CurlForm::guessedType));
    if (allowed != null && allowed.endsWith("/")) {
      if (type.isEmpty() || !type.get().startsWith(allowed)) {
        err.println(
            "error: link "
                + name
                + " takes a Content-Type starting with "
                + allowed
                + (type.map(t -> ", not " + t).orElse(""))
                + "; give it with --content-type");
        return ExitCode.FAILED;
      }
    }
    try {
      out.println(CurlForm.command(action, fields.get(), Optional.ofNullable(file), type));
    } catch (IllegalArgumentException e) {
      err.println(
          "error: Secret "
              + namespace
              + "/"
              + secretName
              + " holds no form: "
              + e.getMessage()
              + "; the operator restores it at its next reconcile");
      return ExitCode.FAILED;
    }
    err.println(
        (file == null ? "replace " + CurlForm.FILE_PLACEHOLDER + " with the file to upload; " : "")
            + "the form "
            + StatusView.validity(facts, root.clock().instant()));
    return ExitCode.OK;
  }

  private static Optional<String> data(Secret secret, String key) {
    return Optional.ofNullable(secret)
        .map(Secret::getData)
        .map(data -> data.get(key))
        .map(encoded -> new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
  }
}

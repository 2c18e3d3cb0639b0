package dev.presign.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kubectl presign}: status, rotation, URLs and set-up checks of PresignedObjectLinks. */
@Command(
    name = "kubectl presign",
    mixinStandardHelpOptions = true,
    versionProvider = PresignCommand.Version.class,
    description = {
      "Work with PresignedObjectLinks (presign.dev/v1alpha1): their status, rotation, current URL.",
      "Exits 0 only on success; 1 when a link is not Ready, a rotation was not handled, the API"
          + " server refused, or a check failed; 2 on a command line it cannot read."
    },
    subcommands = {
      StatusCommand.class,
      RotateCommand.class,
      UrlCommand.class,
      CreateCommand.class,
      CheckCommand.class,
      CommandLine.HelpCommand.class
    })
public class PresignCommand implements Runnable {

  @Mixin KubeOptions kube;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** What kubectl_complete-presign runs: {@code kubectl-presign __complete WORD...}. */
  public static final String COMPLETE = "__complete";

  private final Clock clock;

  public PresignCommand(Clock clock) {
    this.clock = clock;
  }

  Clock clock() {
    return clock;
  }

  KubeOptions kube() {
    return kube;
  }

  @Override
  public void run() {
    // No command: say what there is, as kubectl does, and fail as a command line it cannot use.
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** The command line, printing to {@code out} and {@code err}. */
  public static CommandLine commandLine(Clock clock, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new PresignCommand(clock));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExitCodeExceptionMapper(e -> ExitCode.FAILED);
    commandLine.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter w = e.getCommandLine().getErr();
          w.println("error: " + e.getMessage());
          w.println(
              "See '"
                  + e.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help' for usage.");
          return ExitCode.USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, cl, parsed) -> {
          cl.getErr().println("error: " + e.getMessage());
          return ExitCode.FAILED;
        });
    return commandLine;
  }

  /** Runs the command and returns its exit status. */
  public static int execute(Clock clock, PrintWriter out, PrintWriter err, String... args) {
    if (args.length > 0 && args[0].equals(COMPLETE)) {
      // Not a picocli command: the words to complete are not this command line's own options.
      List<String> words = Arrays.asList(args).subList(1, args.length);
      CommandLine model = commandLine(clock, out, err);
      out.print(
          Completion.complete(model.getCommandSpec(), words, ClusterLookup.from(words)).render());
      out.flush();
      return ExitCode.OK;
    }
    int status = commandLine(clock, out, err).execute(args);
    out.flush();
    err.flush();
    return status;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, false);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(Clock.systemUTC(), out, err, args));
  }

  /** The version of the build, from the jar's manifest. */
  static class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = PresignCommand.class.getPackage().getImplementationVersion();
      return new String[] {"kubectl-presign " + (version == null ? "(development)" : version)};
    }
  }
}

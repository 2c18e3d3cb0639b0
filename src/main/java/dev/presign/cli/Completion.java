package dev.presign.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Shell completion as kubectl asks its plugins for it: kubectl runs {@code
 * kubectl_complete-presign} with the words typed after {@code kubectl presign}, the last being the
 * one to complete (maybe empty), and reads Cobra's answer: one candidate a line, then {@code
 * :directive}.
 */
public final class Completion {

  /** Cobra's ShellCompDirectiveDefault: the shell may complete file names. */
  static final int FILES = 0;

  /** Cobra's ShellCompDirectiveNoFileComp: these candidates, nothing else. */
  static final int NO_FILES = 4;

  /** What completion looks up in the cluster; each may fail, and then offers nothing. */
  public interface Lookup {
    /** The names of the links of a namespace; null: the context's namespace. */
    List<String> links(String namespace);

    List<String> namespaces();

    List<String> contexts();
  }

  /** The candidates and the directive. */
  public record Answer(List<String> candidates, int directive) {
    public String render() {
      StringBuilder out = new StringBuilder();
      candidates.forEach(c -> out.append(c).append('\n'));
      return out.append(':').append(directive).append('\n').toString();
    }
  }

  private static final Set<String> NAMESPACE_OPTIONS =
      Set.of("-n", "--namespace", "--operator-namespace");
  private static final Set<String> LINK_COMMANDS = Set.of("status", "rotate", "url");

  private Completion() {}

  /**
   * Completes the last of {@code words}.
   *
   * @param root the command model, for commands and options
   */
  public static Answer complete(CommandSpec root, List<String> words, Lookup lookup) {
    List<String> typed = words.isEmpty() ? List.of() : words.subList(0, words.size() - 1);
    String current = words.isEmpty() ? "" : words.get(words.size() - 1);
    CommandSpec command = root;
    List<String> positionals = new ArrayList<>();
    String namespace = null;
    for (int i = 0; i < typed.size(); i++) {
      String word = typed.get(i);
      OptionSpec option = option(command, word);
      if (option != null && takesValue(option) && !word.contains("=")) {
        if (i + 1 < typed.size() && (word.equals("-n") || word.equals("--namespace"))) {
          namespace = typed.get(i + 1);
        }
        i++;
      } else if (word.startsWith("--namespace=")) {
        namespace = word.substring("--namespace=".length());
      } else if (!word.startsWith("-")) {
        if (command == root && root.subcommands().containsKey(word)) {
          command = root.subcommands().get(word).getCommandSpec();
        } else {
          positionals.add(word);
        }
      }
    }
    String previous = typed.isEmpty() ? null : typed.get(typed.size() - 1);
    OptionSpec valueOf = previous == null ? null : option(command, previous);
    if (valueOf != null && takesValue(valueOf) && !previous.contains("=")) {
      return values(valueOf, previous, "", current, namespace, lookup);
    }
    if (current.startsWith("--") && current.contains("=")) {
      String name = current.substring(0, current.indexOf('='));
      OptionSpec option = option(command, name);
      if (option != null) {
        return values(
            option,
            name,
            name + "=",
            current.substring(current.indexOf('=') + 1),
            namespace,
            lookup);
      }
    }
    if (current.startsWith("-")) {
      List<String> names = new ArrayList<>();
      for (OptionSpec option : command.options()) {
        if (!option.hidden()) {
          names.addAll(List.of(option.names()));
        }
      }
      return new Answer(matching(names, current), NO_FILES);
    }
    if (command == root) {
      List<String> names =
          root.subcommands().keySet().stream().filter(n -> !n.startsWith("_")).toList();
      return new Answer(matching(names, current), NO_FILES);
    }
    String name = command.name();
    boolean oneName = name.equals("url") && !positionals.isEmpty();
    if (LINK_COMMANDS.contains(name) && !oneName) {
      String in = namespace;
      List<String> links = new ArrayList<>(safely(() -> lookup.links(in)));
      links.removeAll(positionals);
      return new Answer(matching(links, current), NO_FILES);
    }
    return new Answer(List.of(), NO_FILES);
  }

  private static Answer values(
      OptionSpec option,
      String name,
      String prefix,
      String current,
      String namespace,
      Lookup lookup) {
    List<String> values;
    if (NAMESPACE_OPTIONS.contains(name) || option.longestName().equals("--namespace")) {
      values = safely(lookup::namespaces);
    } else if (option.longestName().equals("--context")) {
      values = safely(lookup::contexts);
    } else if (option.longestName().equals("--kubeconfig")) {
      return new Answer(List.of(), FILES);
    } else if (option.completionCandidates() != null) {
      values = new ArrayList<>();
      option.completionCandidates().forEach(values::add);
    } else {
      values = List.of();
    }
    return new Answer(matching(values, current).stream().map(v -> prefix + v).toList(), NO_FILES);
  }

  private static OptionSpec option(CommandSpec command, String word) {
    String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
    return name.startsWith("-") ? command.findOption(name) : null;
  }

  private static boolean takesValue(OptionSpec option) {
    return option.arity().max() > 0 && option.arity().min() > 0;
  }

  private static List<String> matching(List<String> candidates, String prefix) {
    return candidates.stream().filter(c -> c.startsWith(prefix)).sorted().distinct().toList();
  }

  private static List<String> safely(Supplier<List<String>> lookup) {
    try {
      return lookup.get();
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}

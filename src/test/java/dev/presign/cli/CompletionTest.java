package dev.presign.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Model.CommandSpec;

class CompletionTest {

  private static final CommandSpec ROOT =
      PresignCommand.commandLine(
              Clock.systemUTC(),
              new PrintWriter(new StringWriter()),
              new PrintWriter(new StringWriter()))
          .getCommandSpec();

  /** Links by namespace; null: the context's namespace. */
  private static final Map<String, List<String>> LINKS =
      Map.of("analytics", List.of("q3-report", "q4-report"), "default", List.of("upload"));

  private final List<String> asked = new ArrayList<>();

  private final Completion.Lookup lookup =
      new Completion.Lookup() {
        @Override
        public List<String> links(String namespace) {
          asked.add(String.valueOf(namespace));
          return LINKS.getOrDefault(namespace == null ? "default" : namespace, List.of());
        }

        @Override
        public List<String> namespaces() {
          return List.of("analytics", "default", "kube-system");
        }

        @Override
        public List<String> contexts() {
          return List.of("prod", "staging");
        }
      };

  /** Each case: the words typed after "kubectl presign", _ standing for the empty last word. */
  @ParameterizedTest(name = "kubectl presign {0} offers {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "_                              | check create help rotate status url | 4",
        "st                             | status                         | 4",
        "status _                       | upload                         | 4",
        "status -n analytics q3-report _ | q4-report                     | 4",
        "-n analytics url q             | q3-report q4-report            | 4",
        "url q3-report _                | -                              | 4",
        "status -n _                    | analytics default kube-system  | 4",
        "status --namespace=an          | --namespace=analytics          | 4",
        "--context _                    | prod staging                   | 4",
        "status -o _                    | json yaml                      | 4",
        "create x --method _            | GET PUT                        | 4",
        "create x --dry-run=s           | --dry-run=server               | 4",
        "rotate --w                     | --wait                         | 4",
        "status --kubeconfig _          | -                              | 0"
      })
  void completesCommandsFlagsTheirValuesAndLinkNames(String typed, String expected, int directive) {
    List<String> words = Arrays.stream(typed.split(" +")).map(w -> w.equals("_") ? "" : w).toList();

    Completion.Answer answer = Completion.complete(ROOT, words, lookup);

    assertThat(answer.candidates().isEmpty() ? "-" : String.join(" ", answer.candidates()))
        .isEqualTo(expected);
    assertThat(answer.directive()).isEqualTo(directive);
  }

  @ParameterizedTest(name = "kubectl presign {0} looks up the links of {1}")
  @CsvSource({
    "'status _', null",
    "'status -n analytics _', analytics",
    "'rotate --namespace=analytics _', analytics"
  })
  void linkNamesComeFromTheNamespaceTyped(String typed, String namespace) {
    List<String> words = Arrays.stream(typed.split(" +")).map(w -> w.equals("_") ? "" : w).toList();
    Completion.complete(ROOT, words, lookup);
    assertThat(asked).containsExactly(namespace);
  }

  @org.junit.jupiter.api.Test
  void theAnswerIsCobrasCandidatesThenTheDirective() {
    assertThat(new Completion.Answer(List.of("a", "b"), 4).render()).isEqualTo("a\nb\n:4\n");
  }
}

package dev.presign.operator;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packages of DESIGN §6, by capability: imports run down its list, never up, so that a reader
 * finds restarts in consumers, the Secret record in secret, and never needs the packages above to
 * understand one below.
 */
class ArchitectureTest {

  /** The operator's packages, in the order of DESIGN §6: each may import only those below it. */
  private static final List<String> PACKAGES =
      List.of(
          "reconciler",
          "consumers",
          "verification",
          "report",
          "secret",
          "policy",
          "validation",
          "template",
          "signing",
          "credentials",
          "lifecycle",
          "rotation",
          "api.v1alpha1",
          "config");

  /** Pure cores (STYLE 3): no Kubernetes client, no operator framework. */
  private static final String[] PURE = {
    "dev.presign.operator.signing..",
    "dev.presign.operator.rotation..",
    "dev.presign.operator.policy..",
    "dev.presign.operator.validation..",
    "dev.presign.operator.template.."
  };

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.presign");

  @Test
  void everyClassOfTheOperatorIsInAPackageOfTheList() {
    classes()
        .that()
        .resideInAPackage("dev.presign.operator..")
        .should()
        .resideInAnyPackage(
            PACKAGES.stream().map(ArchitectureTest::operator).toArray(String[]::new))
        .check(CLASSES);
  }

  @Test
  void thePackagesAreFreeOfCycles() {
    slices().matching("dev.presign.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void importsRunDownTheListNeverUp() {
    Architectures.LayeredArchitecture layers =
        Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("cli")
            .definedBy("dev.presign.cli..");
    for (String name : PACKAGES) {
      layers = layers.layer(name).definedBy(operator(name));
    }
    layers = layers.whereLayer("cli").mayNotBeAccessedByAnyLayer();
    for (int i = 0; i < PACKAGES.size(); i++) {
      List<String> above = List.copyOf(PACKAGES.subList(0, i));
      String name = PACKAGES.get(i);
      if (name.equals("api.v1alpha1")) {
        above = concat(above, "cli");
      }
      layers =
          above.isEmpty()
              ? layers.whereLayer(name).mayNotBeAccessedByAnyLayer()
              : layers.whereLayer(name).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
    }
    layers.check(CLASSES);
  }

  @Test
  void thePureCoresUseNeitherTheKubernetesClientNorTheOperatorFramework() {
    noClasses()
        .that()
        .resideInAnyPackage(PURE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8.kubernetes.client..", "io.javaoperatorsdk..")
        .check(CLASSES);
  }

  @Test
  void theKubectlPluginUsesOnlyTheApiTypesOfTheOperator() {
    noClasses()
        .that()
        .resideInAPackage("dev.presign.cli..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.presign.operator..")
                .and(not(resideInAPackage("dev.presign.operator.api.v1alpha1"))))
        .check(CLASSES);
  }

  private static String operator(String name) {
    return "dev.presign.operator." + name + "..";
  }

  private static List<String> concat(List<String> list, String element) {
    return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(element))
        .toList();
  }
}

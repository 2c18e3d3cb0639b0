package dev.presign.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.UnreadableFieldsKept;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whatever the API server holds for a link is read (a failure would stop the informer for every
 * link), and what the operator cannot act on is InvalidSpec naming the field.
 */
class LenientReadingTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static PresignedObjectLink read(String specFields) {
    return JSON.unmarshal(
        """
        {"apiVersion": "presign.dev/v1alpha1", "kind": "PresignedObjectLink",
         "metadata": {"name": "report", "namespace": "team-a", "generation": 1},
         "spec": {"bucket": "reports", "key": "daily.csv", %s}}
        """
            .formatted(specFields),
        PresignedObjectLink.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          "method": "get"                                  | spec.method: 'get' is not GET, PUT or POST
          "method": "DELETE"                               | spec.method: 'DELETE' is not GET, PUT or POST
          "method": 1                                      | spec.method: 1 is not GET, PUT or POST
          "expiresIn": 3600                                | spec.expiresIn: expected a string, got a number (3600)
          "renewBefore": {"minutes": 5}                    | spec.renewBefore: expected a string, got an object
          "bucket": ["a", "b"]                             | spec.bucket: expected a string, got a list
          "key": {"path": "x"}                             | spec.key: expected a string, got an object
          "forcePathStyle": "yes"                          | spec.forcePathStyle: expected true or false, got a string ('yes')
          "restartTargets": [{"kind": "Pod", "name": "x"}] | spec.restartTargets[0].kind: 'Pod' is not Deployment, StatefulSet or DaemonSet
          "restartTargets": {"kind": "Deployment"}         | spec.restartTargets: expected a list, got an object
          "secretTemplate": "mine"                         | spec.secretTemplate: expected an object, got a string ('mine')
          "secretTemplate": {"labels": {"team": 7}}        | spec.secretTemplate.labels[team]: expected a string, got a number (7)
          "secretTemplate": {"data": {"config.json": {"u": 1}}} | spec.secretTemplate.data[config.json]: expected a string, got an object
          "credentials": {"secretRef": {"name": true}}     | spec.credentials.secretRef.name: expected a string, got true or false (true)
          "method": "POST", "upload": 10                   | spec.upload: expected an object, got a number (10)
          "method": "POST", "upload": {"maxSize": "10Mi", "successActionStatus": "201"} | spec.upload.successActionStatus: expected a whole number, got a string ('201')
          "method": "POST", "upload": {"maxSize": "ten"}   | spec.upload.maxSize: 'ten' is not a Kubernetes quantity such as 10Mi or 1048576
          "method": "POST", "upload": {"maxSize": "1.5"}   | spec.upload.maxSize: '1.5' must be a whole number of bytes of at least 1
          "method": "POST", "upload": {"maxSize": "6Gi"}   | spec.upload.maxSize: '6Gi' is larger than 5Gi, S3's limit for a POST upload
          "method": "POST", "upload": {"maxSize": 10, "minSize": 11} | spec.upload.minSize: '11' is larger than spec.upload.maxSize ('10')
          "method": "POST", "upload": {"maxSize": 10, "successActionStatus": 202} | spec.upload.successActionStatus: '202' is not 200, 201 or 204
          "method": "POST", "upload": {"minSize": 1}       | spec.upload.maxSize: is required
          "method": "POST"                                 | spec.upload: is required for POST links
          "upload": {"maxSize": 10}                        | spec.upload: applies to POST links only
          "method": "POST", "upload": {"maxSize": 10}, "contentType": "a/b" | spec.contentType: applies to PUT links only; a POST link takes spec.upload.contentType
          """)
  void wrongTypesAndUnknownConstantsAreInvalidSpecNamingTheField(String field, String problem) {
    PresignedObjectLink link = read(field);

    assertThatThrownBy(() -> LinkValidator.validate(link))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(problem);
  }

  @Test
  void everyProblemOfOneSpecIsNamed() {
    PresignedObjectLink link = read("\"method\": \"get\", \"expiresIn\": 60");

    assertThatThrownBy(() -> LinkValidator.validate(link))
        .hasMessage(
            "spec.method: 'get' is not GET, PUT or POST; spec.expiresIn: expected a string, got a number"
                + " (60)");
  }

  @Test
  void unknownFieldsAreIgnoredAndNullsReadAsAbsent() {
    ValidLink valid =
        LinkValidator.validate(
            read("\"colour\": \"blue\", \"method\": null, \"expiresIn\": null, \"extra\": {}"));

    assertThat(valid.request().method()).isEqualTo(HttpMethod.GET);
    assertThat(valid.expiresIn()).hasHours(1);
  }

  @Test
  void aSpecThatIsNoObjectIsInvalid() {
    PresignedObjectLink link =
        JSON.unmarshal(
            """
            {"apiVersion": "presign.dev/v1alpha1", "kind": "PresignedObjectLink",
             "metadata": {"name": "report", "namespace": "team-a"}, "spec": ["bucket"]}
            """,
            PresignedObjectLink.class);

    assertThatThrownBy(() -> LinkValidator.validate(link))
        .hasMessage("spec: expected an object, got a list");
  }

  @Test
  void anUnreadableStatusIsDroppedNotFatal() {
    PresignedObjectLink link =
        JSON.unmarshal(
            """
            {"apiVersion": "presign.dev/v1alpha1", "kind": "PresignedObjectLink",
             "metadata": {"name": "report", "namespace": "team-a"},
             "spec": {"bucket": "reports", "key": "daily.csv"},
             "status": {"rotations": "many", "conditions": {"type": "Ready"}, "secretName": "r"}}
            """,
            PresignedObjectLink.class);

    assertThat(link.getStatus().getRotations()).isNull();
    assertThat(link.getStatus().getConditions()).isEmpty();
    assertThat(link.getStatus().getSecretName()).isEqualTo("r");
    assertThat(LinkValidator.validate(link).secret().name()).isEqualTo("report");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          "secretTemplate": {"labels": {"bad key!": "x"}}            | spec.secretTemplate.labels[bad key!]: key 'bad key!' is invalid
          "secretTemplate": {"labels": {"Example.com/team": "x"}}    | spec.secretTemplate.labels[Example.com/team]: key 'Example.com/team' has an invalid prefix
          "secretTemplate": {"labels": {"team": "a b"}}              | spec.secretTemplate.labels[team]: value 'a b' is invalid
          "secretTemplate": {"labels": {"team": "-x"}}               | spec.secretTemplate.labels[team]: value '-x' is invalid
          "secretTemplate": {"data": {"c.json": "{{#json}}{{url}}"}} | spec.secretTemplate.data[c.json]: line 1, column 1: the section {{#json}} is not closed
          "secretTemplate": {"annotations": {"/x": "y"}}             | spec.secretTemplate.annotations[/x]: key '/x' has an invalid prefix
          "secretTemplate": {"annotations": {"a/b/c": "y"}}          | spec.secretTemplate.annotations[a/b/c]: key 'a/b/c' has an invalid prefix
          "restartTargets": [{"kind": "Deployment", "name": "Web_1"}] | spec.restartTargets[0].name: 'Web_1' is not a valid name
          "restartTargets": [{"kind": "Deployment", "name": "a..b"}]  | spec.restartTargets[0].name: 'a..b' is not a valid name
          "secretTemplate": {"name": "-secret"}                      | spec.secretTemplate.name: '-secret' is not a valid name
          """)
  void metadataTheApiServerWouldRefuseIsInvalidSpecNamingTheField(String field, String start) {
    PresignedObjectLink link = read(field);

    assertThatThrownBy(() -> LinkValidator.validate(link))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(start);
  }

  @Test
  void labelAndAnnotationKeysAndValuesKubernetesAcceptsPass() {
    ValidLink valid =
        LinkValidator.validate(
            read(
                """
                "secretTemplate": {
                  "labels": {"app.kubernetes.io/part-of": "shop", "tier": "", "v": "1.2_a-b"},
                  "annotations": {"example.com/note": "any text at all: !?*", "Owner": "Ops"}}
                """));

    assertThat(valid.secret().labels()).containsEntry("tier", "");
    assertThat(valid.secret().annotations()).containsEntry("Owner", "Ops");
  }

  @Test
  void aCopyMadeByTheOperatorsClientIsReadTheSameWay() {
    ObjectMapper mapper = new ObjectMapper();
    new UnreadableFieldsKept().customize(mapper);
    KubernetesSerialization operatorsClient = new KubernetesSerialization(mapper, true);
    PresignedObjectLink stored =
        read("\"method\": \"get\", \"restartTargets\": [{\"kind\": \"Pod\", \"name\": \"x\"}]");

    PresignedObjectLink copy = operatorsClient.clone(stored);

    assertThat(copy.getSpec().getReadProblems())
        .containsExactlyElementsOf(stored.getSpec().getReadProblems())
        .hasSize(2);
    assertThat(operatorsClient.asJson(copy)).contains("\"method\":\"get\"");
  }
}

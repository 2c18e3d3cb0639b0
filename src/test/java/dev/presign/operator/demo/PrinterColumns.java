package dev.presign.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code kubectl get -A} shows for a custom resource: NAMESPACE, NAME and the CRD's
 * additionalPrinterColumns of priority 0, each JSONPath evaluated on the resource. The paths of
 * this CRD need only fields and equality filters, so that is all this evaluates.
 */
final class PrinterColumns {

  /** ".field" or ".field[?(@.key=="value")]". */
  private static final Pattern SEGMENT =
      Pattern.compile("\\.([A-Za-z0-9_]+)(?:\\[\\?\\(@\\.([A-Za-z0-9_]+)==\"([^\"]*)\"\\)])?");

  private final List<CustomResourceColumnDefinition> columns;

  private PrinterColumns(List<CustomResourceColumnDefinition> columns) {
    this.columns = columns;
  }

  static PrinterColumns of(CustomResourceDefinition crd) {
    return new PrinterColumns(
        crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
            .filter(column -> column.getPriority() == null || column.getPriority() == 0)
            .toList());
  }

  /** The table for resources given as JSON trees, one line per resource, header first. */
  List<String> table(List<JsonNode> resources, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("NAMESPACE", "NAME"));
    columns.forEach(column -> header.add(column.getName().toUpperCase(Locale.ROOT)));
    rows.add(header);
    for (JsonNode resource : resources) {
      JsonNode metadata = resource.path("metadata");
      List<String> row =
          new ArrayList<>(
              List.of(metadata.path("namespace").asText(), metadata.path("name").asText()));
      for (CustomResourceColumnDefinition column : columns) {
        String value = evaluate(column.getJsonPath(), resource);
        row.add("date".equals(column.getType()) ? age(value, now) : value);
      }
      rows.add(row);
    }
    return aligned(rows);
  }

  private static String evaluate(String jsonPath, JsonNode resource) {
    Matcher segment = SEGMENT.matcher(jsonPath);
    JsonNode node = resource;
    int end = 0;
    while (segment.find() && segment.start() == end) {
      node = node.path(segment.group(1));
      if (segment.group(2) != null) {
        node = first(node, segment.group(2), segment.group(3));
      }
      end = segment.end();
    }
    if (end != jsonPath.length()) {
      throw new IllegalArgumentException("JSONPath beyond what the demo evaluates: " + jsonPath);
    }
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }

  private static JsonNode first(JsonNode array, String key, String value) {
    for (JsonNode element : array) {
      if (value.equals(element.path(key).asText())) {
        return element;
      }
    }
    return MissingNode.getInstance();
  }

  /** A timestamp as kubectl shows a date column: the time since, like "42s" or "5m10s". */
  private static String age(String timestamp, Instant now) {
    if (timestamp.isEmpty()) {
      return "";
    }
    Instant time;
    try {
      time = Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return timestamp;
    }
    Duration since = Duration.between(time, now);
    return since.isNegative() ? "<invalid>" : human(since);
  }

  private static String human(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 600) {
      return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
    }
    if (seconds < 3 * 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 48 * 3600) {
      return seconds / 3600 + "h" + (seconds % 3600 / 60 == 0 ? "" : seconds % 3600 / 60 + "m");
    }
    return seconds / 86400 + "d";
  }

  /** Columns padded to their widest cell with three spaces between, as kubectl aligns them. */
  private static List<String> aligned(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    rows.forEach(
        row -> {
          for (int i = 0; i < row.size(); i++) {
            widths[i] = Math.max(widths[i], row.get(i).length());
          }
        });
    List<String> lines = new ArrayList<>();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 3));
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static String pad(String cell, int width) {
    return cell + " ".repeat(width - cell.length());
  }
}

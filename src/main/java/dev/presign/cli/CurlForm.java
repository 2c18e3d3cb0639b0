package dev.presign.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The curl command that uploads a file through a POST link's form: its fields in their order, each
 * taken literally (--form-string: a value starting with @ or < is no file to read), the file last.
 */
final class CurlForm {

  /** Shown in place of the file when none is given. */
  static final String FILE_PLACEHOLDER = "FILE";

  private static final ObjectMapper JSON = new ObjectMapper();

  private CurlForm() {}

  /**
   * @param fieldsJson the Secret's {@code fields}: a JSON object of strings
   * @param file empty: {@value #FILE_PLACEHOLDER}, for the user to replace
   * @param contentType the Content-Type field the form lacks: the uploader's part when the link
   *     allows a prefix (image/) or any type
   * @throws IllegalArgumentException when the fields are not a JSON object of strings
   */
  static String command(
      String action, String fieldsJson, Optional<Path> file, Optional<String> contentType) {
    Map<String, String> fields;
    try {
      fields = JSON.readValue(fieldsJson, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("its fields are not a JSON object of strings");
    }
    List<String> lines = new ArrayList<>();
    lines.add("curl -sS -w '%{http_code}\\n'");
    fields.forEach((name, value) -> lines.add("--form-string " + quoted(name + "=" + value)));
    if (!fields.containsKey("Content-Type")) {
      contentType.ifPresent(type -> lines.add("--form-string " + quoted("Content-Type=" + type)));
    }
    lines.add(
        "-F " + quoted("file=@" + filePart(file.map(Path::toString).orElse(FILE_PLACEHOLDER))));
    lines.add(quoted(action));
    return String.join(" \\\n  ", lines);
  }

  /** The type a file's name suggests, as curl users expect (cat.png: image/png). */
  static Optional<String> guessedType(Path file) {
    return Optional.ofNullable(
        URLConnection.guessContentTypeFromName(file.getFileName().toString()));
  }

  /** curl reads ; and , in a file name as the start of options: such a name is double-quoted. */
  private static String filePart(String path) {
    return path.matches(".*[;,\"\\\\].*")
        ? "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
        : path;
  }

  /** Single-quoted for a POSIX shell, so that ${filename} reaches S3 unexpanded. */
  private static String quoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}

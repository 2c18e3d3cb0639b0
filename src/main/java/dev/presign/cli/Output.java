package dev.presign.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;

/** The machine-readable forms of {@code -o}: JSON and YAML of the same value. */
public enum Output {
  json(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)),
  yaml(
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build()));

  private final ObjectMapper mapper;

  Output(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The value as text, ending in a newline. */
  public String write(Object value) {
    try {
      String text = mapper.writeValueAsString(value);
      return text.endsWith("\n") ? text : text + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}

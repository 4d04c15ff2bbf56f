package dev.llmgateway.catalog;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * A model catalog file is malformed. The message names the file, the 1-based line and column (and the
 * column's name), what was expected and what was found, e.g.
 * {@code models.csv line 12, column 5 (max_output_tokens): expected a whole number > 0, was 'abc'}.
 * A column of 0 means the problem concerns the whole line (e.g. a duplicate model).
 */
public class ModelCatalogFormatException extends LlmConfigurationException {
  private final String sourceName;
  private final int line;
  private final int column;

  public ModelCatalogFormatException(String sourceName, int line, int column, String message,
      @Nullable Throwable cause) {
    super(message, ErrorContext.EMPTY, cause);
    this.sourceName = sourceName;
    this.line = line;
    this.column = column;
  }

  /** The file (or resource) name. */
  public String sourceName() {
    return sourceName;
  }

  /** The 1-based line number. */
  public int line() {
    return line;
  }

  /** The 1-based column (field) number; 0 when the problem concerns the whole line. */
  public int column() {
    return column;
  }
}

package dev.llmgateway.catalog.internal;

import dev.llmgateway.catalog.ModelCapabilities;
import dev.llmgateway.catalog.ModelCatalogFormatException;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.catalog.PriceTier;
import dev.llmgateway.error.InvalidRequestException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the model catalog CSV format (documented in {@code docs/model-catalog.md}) with the JDK only.
 *
 * <p>Strict by design: a header naming every column in order, then one row per model with exactly that
 * many comma-separated fields (no quoting, so no field may contain a comma), each field trimmed. Blank
 * lines and lines starting with {@code #} are skipped. The first problem fails the whole file with a
 * {@link ModelCatalogFormatException} naming the line, the column and what was expected.
 */
public final class CatalogCsvReader {

  /** The columns, in order. */
  public static final List<String> COLUMNS = List.of(
      "provider", "model", "aliases", "context_window", "max_output_tokens",
      "tools", "vision", "json_schema", "thinking",
      "input", "cached_input_read", "cached_input_write", "output", "reasoning",
      "tier_above_input_tokens", "tier_input", "tier_cached_input_read", "tier_cached_input_write",
      "tier_output", "tier_reasoning",
      "currency", "prices_as_of", "source", "note");

  private static final int PROVIDER = 0;
  private static final int MODEL = 1;
  private static final int ALIASES = 2;
  private static final int CONTEXT_WINDOW = 3;
  private static final int MAX_OUTPUT = 4;
  private static final int TOOLS = 5;
  private static final int VISION = 6;
  private static final int JSON_SCHEMA = 7;
  private static final int THINKING = 8;
  private static final int INPUT = 9;
  private static final int TIER_ABOVE = 14;
  private static final int CURRENCY = 20;
  private static final int PRICES_AS_OF = 21;
  private static final int SOURCE = 22;
  private static final int NOTE = 23;

  private static final Pattern NAME = Pattern.compile("[^\\s,]+");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d+|\\d{1,3}(?:_\\d{3})+");
  private static final Pattern PRICE = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private CatalogCsvReader() {}

  /**
   * Parses every model of the catalog text in {@code reader}, in file order.
   *
   * @param sourceName names the text in error messages (a file name or path)
   * @throws ModelCatalogFormatException at the first malformed line
   */
  public static List<ModelInfo> read(String sourceName, Reader reader) throws IOException {
    BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    List<ModelInfo> models = new ArrayList<>();
    Map<String, Integer> definedAt = new HashMap<>();
    boolean headerSeen = false;
    int lineNumber = 0;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lineNumber++;
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Row row = new Row(sourceName, lineNumber, line);
      if (!headerSeen) {
        row.checkHeader();
        headerSeen = true;
        continue;
      }
      ModelInfo info = row.toModel();
      checkUnique(row, info, definedAt);
      models.add(info);
    }
    if (!headerSeen) {
      throw new ModelCatalogFormatException(sourceName, Math.max(lineNumber, 1), 1,
          sourceName + " line " + Math.max(lineNumber, 1) + ": expected the header line "
              + String.join(",", COLUMNS) + ", but the file has no header", null);
    }
    return models;
  }

  /** Fails when a model id or alias was already defined by an earlier line of the same file. */
  private static void checkUnique(Row row, ModelInfo info, Map<String, Integer> definedAt) {
    List<String> names = new ArrayList<>();
    names.add(info.model());
    names.addAll(info.aliases());
    for (int i = 0; i < names.size(); i++) {
      String key = info.provider() + "/" + names.get(i);
      Integer earlier = definedAt.putIfAbsent(key, row.lineNumber);
      if (earlier != null) {
        throw row.error(i == 0 ? MODEL : ALIASES, "'" + key + "' is already defined on line " + earlier
            + "; a file may define each model id or alias once", null);
      }
    }
  }

  /** One non-comment line split into trimmed fields. */
  private static final class Row {
    final String sourceName;
    final int lineNumber;
    final String[] fields;

    Row(String sourceName, int lineNumber, String line) {
      this.sourceName = sourceName;
      this.lineNumber = lineNumber;
      String[] raw = line.split(",", -1);
      this.fields = Arrays.stream(raw).map(String::strip).toArray(String[]::new);
    }

    void checkHeader() {
      checkFieldCount("the header line " + String.join(",", COLUMNS));
      for (int i = 0; i < COLUMNS.size(); i++) {
        if (!fields[i].equals(COLUMNS.get(i))) {
          throw error(i, "expected the header '" + COLUMNS.get(i) + "', was '" + fields[i] + "'", null);
        }
      }
    }

    private void checkFieldCount(String what) {
      if (fields.length < COLUMNS.size()) {
        throw error(fields.length, "missing; expected " + COLUMNS.size()
            + " comma-separated fields (" + what + "), found " + fields.length, null);
      }
      if (fields.length > COLUMNS.size()) {
        throw new ModelCatalogFormatException(sourceName, lineNumber, COLUMNS.size() + 1,
            where(COLUMNS.size()) + ": unexpected extra field '" + fields[COLUMNS.size()]
                + "'; expected " + COLUMNS.size() + " comma-separated fields (fields cannot contain"
                + " commas)", null);
      }
    }

    ModelInfo toModel() {
      checkFieldCount("one per column");
      String provider = name(PROVIDER);
      String model = name(MODEL);
      List<String> aliases = fields[ALIASES].isEmpty()
          ? List.of() : List.of(fields[ALIASES].split("\\s+"));
      int contextWindow = positiveInt(CONTEXT_WINDOW);
      Integer maxOutput = fields[MAX_OUTPUT].isEmpty() ? null : positiveInt(MAX_OUTPUT);
      if (maxOutput != null && maxOutput > contextWindow) {
        throw error(MAX_OUTPUT, "expected at most the context window (" + contextWindow + "), was "
            + maxOutput, null);
      }
      ModelCapabilities capabilities = new ModelCapabilities(yesNo(TOOLS), yesNo(VISION),
          yesNo(JSON_SCHEMA), yesNo(THINKING));
      PriceTier base = prices(INPUT, 0);
      List<PriceTier> tiers = new ArrayList<>();
      if (fields[TIER_ABOVE].isEmpty()) {
        for (int i = TIER_ABOVE + 1; i < TIER_ABOVE + 6; i++) {
          if (!fields[i].isEmpty()) {
            throw error(i, "expected empty because tier_above_input_tokens is empty, was '"
                + fields[i] + "'", null);
          }
        }
      } else {
        tiers.add(prices(TIER_ABOVE + 1, positiveInt(TIER_ABOVE)));
      }
      String currency = matching(CURRENCY, CURRENCY_CODE, "an ISO 4217 currency code such as USD");
      LocalDate asOf = date(PRICES_AS_OF);
      String source = required(SOURCE, "where the prices are published (a URL)");
      String note = fields[NOTE].isEmpty() ? null : fields[NOTE];
      try {
        ModelPricing pricing = new ModelPricing(base.input(), base.cachedInputRead(),
            base.cachedInputWrite(), base.output(), base.reasoning(), tiers, currency, asOf, source);
        return new ModelInfo(provider, model, aliases, contextWindow, maxOutput, capabilities, pricing,
            note);
      } catch (InvalidRequestException e) {
        throw error(-1, e.getMessage(), e);
      }
    }

    /** Five price columns starting at {@code first}: input, cache read, cache write, output, reasoning. */
    private PriceTier prices(int first, long aboveInputTokens) {
      BigDecimal input = price(first, true);
      BigDecimal read = price(first + 1, false);
      BigDecimal write = price(first + 2, false);
      BigDecimal output = price(first + 3, true);
      BigDecimal reasoning = price(first + 4, false);
      return new PriceTier(aboveInputTokens, input, read, write, output, reasoning);
    }

    private String name(int column) {
      return matching(column, NAME, "a name without spaces");
    }

    private String required(int column, String what) {
      if (fields[column].isEmpty()) {
        throw error(column, "expected " + what + ", was empty", null);
      }
      return fields[column];
    }

    private String matching(int column, Pattern pattern, String what) {
      String value = required(column, what);
      if (!pattern.matcher(value).matches()) {
        throw error(column, "expected " + what + ", was '" + value + "'", null);
      }
      return value;
    }

    private int positiveInt(int column) {
      String value = matching(column, WHOLE_NUMBER,
          "a whole number of tokens > 0 (digits, optionally grouped as 1_000_000)");
      try {
        int parsed = Integer.parseInt(value.replace("_", ""));
        if (parsed > 0) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // too large: reported below
      }
      throw error(column, "expected a whole number of tokens between 1 and " + Integer.MAX_VALUE
          + ", was '" + value + "'", null);
    }

    private @Nullable BigDecimal price(int column, boolean required) {
      if (!required && fields[column].isEmpty()) {
        return null;
      }
      return new BigDecimal(matching(column, PRICE,
          "a price per million tokens such as 2.50 (digits with an optional decimal point)"));
    }

    private boolean yesNo(int column) {
      String value = required(column, "yes or no");
      return switch (value) {
        case "yes" -> true;
        case "no" -> false;
        default -> throw error(column, "expected yes or no, was '" + value + "'", null);
      };
    }

    private LocalDate date(int column) {
      String value = matching(column, DATE, "a date as YYYY-MM-DD");
      try {
        return LocalDate.parse(value);
      } catch (DateTimeParseException e) {
        throw error(column, "expected a valid date as YYYY-MM-DD, was '" + value + "'", e);
      }
    }

    /** A line-level error when {@code column} is negative, else one naming the column. */
    ModelCatalogFormatException error(int column, String message, @Nullable Throwable cause) {
      if (column < 0) {
        return new ModelCatalogFormatException(sourceName, lineNumber, 0,
            sourceName + " line " + lineNumber + ": " + message, cause);
      }
      return new ModelCatalogFormatException(sourceName, lineNumber, column + 1,
          where(column) + ": " + message, cause);
    }

    private String where(int column) {
      String name = column < COLUMNS.size() ? " (" + COLUMNS.get(column) + ")" : "";
      return sourceName + " line " + lineNumber + ", column " + (column + 1) + name;
    }
  }
}

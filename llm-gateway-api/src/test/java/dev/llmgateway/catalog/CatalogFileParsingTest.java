package dev.llmgateway.catalog;

import static dev.llmgateway.catalog.CatalogFiles.HEADER;
import static dev.llmgateway.catalog.CatalogFiles.parse;
import static dev.llmgateway.catalog.CatalogFiles.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogFileParsingTest {

  @Test
  void parsesEveryColumnOfAWellFormedFile() {
    ModelCatalog catalog = parse(
        "# a comment",
        "",
        HEADER,
        "   # an indented comment",
        "anthropic, claude-x , claude-x-20250101 claude-x-latest , 1_000_000 , 64_000 , yes,yes,no,yes,"
            + "3.00,0.30,3.75,15.00,,200_000,6.00,0.60,7.50,22.50,,USD,2026-11-26,"
            + "https://example.com/p,official; a note",
        "openai,o-small,,200000,,yes,no,yes,yes,1.10,,,4.40,5.5,,,,,,,EUR,2025-01-31,https://example.com/o,");

    assertThat(catalog.models()).hasSize(2);
    ModelInfo claude = catalog.models().get(0);
    assertThat(claude.provider()).isEqualTo("anthropic");
    assertThat(claude.model()).isEqualTo("claude-x");
    assertThat(claude.aliases()).containsExactly("claude-x-20250101", "claude-x-latest");
    assertThat(claude.contextWindow()).isEqualTo(1_000_000);
    assertThat(claude.maxOutputTokens()).isEqualTo(64_000);
    assertThat(claude.capabilities()).isEqualTo(new ModelCapabilities(true, true, false, true));
    assertThat(claude.note()).isEqualTo("official; a note");
    ModelPricing pricing = claude.pricing();
    assertThat(pricing).isNotNull();
    assertThat(pricing.input()).isEqualByComparingTo("3.00");
    assertThat(pricing.cachedInputRead()).isEqualByComparingTo("0.30");
    assertThat(pricing.cachedInputWrite()).isEqualByComparingTo("3.75");
    assertThat(pricing.output()).isEqualByComparingTo("15.00");
    assertThat(pricing.reasoning()).isNull();
    assertThat(pricing.tiers()).containsExactly(new PriceTier(200_000, new BigDecimal("6.00"),
        new BigDecimal("0.60"), new BigDecimal("7.50"), new BigDecimal("22.50"), null));
    assertThat(pricing.currency()).isEqualTo("USD");
    assertThat(pricing.pricesAsOf()).isEqualTo(LocalDate.of(2026, 11, 26));
    assertThat(pricing.source()).isEqualTo("https://example.com/p");

    ModelInfo small = catalog.models().get(1);
    assertThat(small.aliases()).isEmpty();
    assertThat(small.contextWindow()).isEqualTo(200_000);
    assertThat(small.maxOutputTokens()).isNull();
    assertThat(small.note()).isNull();
    assertThat(small.pricing().cachedInputRead()).isNull();
    assertThat(small.pricing().cachedInputWrite()).isNull();
    assertThat(small.pricing().reasoning()).isEqualByComparingTo("5.5");
    assertThat(small.pricing().tiers()).isEmpty();
    assertThat(small.pricing().currency()).isEqualTo("EUR");
  }

  @Test
  void acceptsWindowsLineEndingsAndAByteOrderMark() {
    ModelCatalog catalog = parse("\uFEFF" + HEADER + "\r", row("openai", "gpt-4o") + "\r");
    assertThat(catalog.find("openai", "gpt-4o")).isPresent();
  }

  @Test
  void aFileWithOnlyAHeaderIsAnEmptyCatalog() {
    assertThat(parse(HEADER).models()).isEmpty();
  }

  @Test
  void aFileWithoutHeaderFailsNamingTheFile() {
    assertThatThrownBy(() -> parse("# only comments", "", "# another"))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.sourceName()).isEqualTo("test.csv");
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo(1);
          assertThat(e.getMessage()).contains("test.csv").contains("no header");
        });
  }

  @Test
  void aWrongHeaderNamesTheFirstDifferingColumn() {
    String header = HEADER.replace("max_output_tokens", "max_output");
    assertThatThrownBy(() -> parse("# c", header))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isEqualTo(5);
          assertThat(e.getMessage()).isEqualTo("test.csv line 2, column 5 (max_output_tokens): expected"
              + " the header 'max_output_tokens', was 'max_output'");
        });
  }

  @Test
  void aRowWithTooFewFieldsNamesTheFirstMissingColumn() {
    String row = row("openai", "gpt-4o");
    String shortRow = row.substring(0, row.lastIndexOf(','));
    assertThatThrownBy(() -> parse(HEADER, shortRow))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isEqualTo(24);
          assertThat(e.getMessage()).startsWith("test.csv line 2, column 24 (note): missing; expected 24"
              + " comma-separated fields");
        });
  }

  @Test
  void aRowWithAnExtraFieldNamesItsColumn() {
    assertThatThrownBy(() -> parse(HEADER, row("openai", "gpt-4o") + ", with a comma"))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isEqualTo(25);
          assertThat(e.getMessage()).contains("unexpected extra field 'with a comma'");
        });
  }

  /** Replaces column {@code column} (1-based) of a valid row with {@code value}. */
  private static String rowWith(int column, String value) {
    String[] fields = row("openai", "gpt-4o").split(",", -1);
    fields[column - 1] = value;
    return String.join(",", fields);
  }

  @ParameterizedTest(name = "column {0} = ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "1 | ''          | provider          | expected a name without spaces, was empty",
      "2 | 'gpt 4o'    | model             | expected a name without spaces, was 'gpt 4o'",
      "4 | ''          | context_window    | was empty",
      "4 | 128k        | context_window    | expected a whole number of tokens > 0",
      "4 | 0           | context_window    | between 1 and 2147483647, was '0'",
      "4 | 99999999999 | context_window    | between 1 and 2147483647, was '99999999999'",
      "4 | 1_00_000    | context_window    | expected a whole number of tokens > 0",
      "5 | -1          | max_output_tokens | expected a whole number of tokens > 0",
      "5 | 200_000     | max_output_tokens | expected at most the context window (128000), was 200000",
      "6 | true        | tools             | expected yes or no, was 'true'",
      "7 | ''          | vision            | expected yes or no, was empty",
      "8 | Yes         | json_schema       | expected yes or no, was 'Yes'",
      "9 | maybe       | thinking          | expected yes or no, was 'maybe'",
      "10 | ''         | input             | expected a price per million tokens",
      "10 | $2.50      | input             | was '$2.50'",
      "11 | 1e-3       | cached_input_read | was '1e-3'",
      "12 | -3.75      | cached_input_write| was '-3.75'",
      "13 | 10.        | output            | was '10.'",
      "14 | abc        | reasoning         | was 'abc'",
      "16 | 6.00       | tier_input        | expected empty because tier_above_input_tokens is empty",
      "21 | usd        | currency          | expected an ISO 4217 currency code such as USD, was 'usd'",
      "22 | 26.11.2026 | prices_as_of      | expected a date as YYYY-MM-DD, was '26.11.2026'",
      "22 | 2026-02-30 | prices_as_of      | expected a valid date as YYYY-MM-DD, was '2026-02-30'",
      "23 | ''         | source            | expected where the prices are published",
  })
  void aMalformedFieldFailsNamingLineColumnAndValue(int column, String value, String columnName,
      String expected) {
    assertThatThrownBy(() -> parse("# header follows", HEADER, row("openai", "ok"), rowWith(column, value)))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.sourceName()).isEqualTo("test.csv");
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.column()).isEqualTo(column);
          assertThat(e.getMessage())
              .startsWith("test.csv line 4, column " + column + " (" + columnName.strip() + "): ")
              .contains(expected);
        });
  }

  @Test
  void aTierNeedsItsInputAndOutputPrices() {
    String[] fields = row("openai", "gpt-4o").split(",", -1);
    fields[14] = "200_000";
    fields[15] = "5.00";
    assertThatThrownBy(() -> parse(HEADER, String.join(",", fields)))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.column()).isEqualTo(19);
          assertThat(e.getMessage()).contains("(tier_output): expected a price per million tokens");
        });
  }

  @Test
  void aRepeatedModelFailsNamingBothLines() {
    assertThatThrownBy(() -> parse(HEADER, row("openai", "gpt-4o"), "", row("openai", "gpt-4o")))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.column()).isEqualTo(2);
          assertThat(e.getMessage()).contains("'openai/gpt-4o' is already defined on line 2");
        });
  }

  @Test
  void anAliasThatRepeatsAnotherModelsIdFails() {
    String aliasRow = row("openai", "gpt-4o-latest").replace("gpt-4o-latest,,", "gpt-4o-latest,gpt-4o,");
    assertThatThrownBy(() -> parse(HEADER, row("openai", "gpt-4o"), aliasRow))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo(3);
          assertThat(e.getMessage()).contains("(aliases)").contains("already defined on line 2");
        });
  }

  @Test
  void theSameModelIdUnderAnotherProviderIsAllowed() {
    ModelCatalog catalog = parse(HEADER, row("openai", "gpt-4o"), row("azure", "gpt-4o"));
    assertThat(catalog.models()).extracting(ModelInfo::id).containsExactly("openai/gpt-4o", "azure/gpt-4o");
  }

  @Test
  void anInvalidEntryThatOnlyTheRecordsCatchNamesTheLine() {
    String aliasRow = row("openai", "gpt-4o").replace("gpt-4o,,", "gpt-4o,gpt-4o,");
    assertThatThrownBy(() -> parse(HEADER, aliasRow))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.getMessage()).startsWith("test.csv line 2").contains("repeat the name 'gpt-4o'");
        });
  }

  @Test
  void formatErrorsAreConfigurationErrors() {
    assertThatThrownBy(() -> parse(HEADER, rowWith(6, "x")))
        .isInstanceOf(LlmConfigurationException.class);
  }
}

package dev.llmgateway.catalog;

import static dev.llmgateway.catalog.CatalogFiles.HEADER;
import static dev.llmgateway.catalog.CatalogFiles.parse;
import static dev.llmgateway.catalog.CatalogFiles.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelCatalogLookupTest {

  private final ModelCatalog catalog = parse(HEADER,
      row("openai", "gpt-4o"),
      row("openai", "gpt-4o-2024-05-13"),
      row("openai", "gpt-4o-mini"),
      row("openai", "gpt-5"),
      row("gemini", "gemini-2.0-flash"),
      row("anthropic", "claude-sonnet-4-5").replace("claude-sonnet-4-5,,",
          "claude-sonnet-4-5,claude-sonnet-4-5-20250929 claude-sonnet-4-5-latest,"),
      row("anthropic", "claude-opus-4-0"));

  private String found(String provider, String model) {
    Optional<ModelInfo> info = catalog.find(provider, model);
    return info.map(ModelInfo::id).orElse("unknown");
  }

  @Test
  void findsAnExactModelId() {
    assertThat(found("openai", "gpt-4o")).isEqualTo("openai/gpt-4o");
    assertThat(found("openai", "gpt-4o-mini")).isEqualTo("openai/gpt-4o-mini");
  }

  @Test
  void findsAnAliasExactly() {
    assertThat(found("anthropic", "claude-sonnet-4-5-latest")).isEqualTo("anthropic/claude-sonnet-4-5");
    assertThat(found("anthropic", "claude-sonnet-4-5-20250929")).isEqualTo("anthropic/claude-sonnet-4-5");
  }

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
      "openai, gpt-4o-2024-08-06, openai/gpt-4o",
      "openai, gpt-4o-2024-11-20, openai/gpt-4o",
      "openai, gpt-4o-mini-2024-07-18, openai/gpt-4o-mini",
      "openai, gpt-5-2025-08-07, openai/gpt-5",
      "openai, gpt-4o-0613, openai/gpt-4o",
      "gemini, gemini-2.0-flash-001, gemini/gemini-2.0-flash",
      "anthropic, claude-opus-4-0-20250514, anthropic/claude-opus-4-0",
      "anthropic, claude-sonnet-4-5@20250929, anthropic/claude-sonnet-4-5",
  })
  void findsADatedSnapshotOfAKnownId(String provider, String model, String expected) {
    assertThat(found(provider, model)).isEqualTo(expected);
  }

  @Test
  void anExactSnapshotEntryWinsOverItsFamily() {
    assertThat(found("openai", "gpt-4o-2024-05-13")).isEqualTo("openai/gpt-4o-2024-05-13");
  }

  @ParameterizedTest(name = "{0}/{1} is unknown")
  @CsvSource({
      "openai, gpt-4o-audio-preview",
      "openai, gpt-5.2",
      "openai, gpt-5-pro",
      "openai, gpt-4o-20240806x",
      "openai, gpt-4",
      "openai, GPT-4O",
      "anthropic, claude-opus-4-7",
      "anthropic, claude-sonnet-4-6",
      "gemini, gemini-2.0-flash-lite",
      "gemini, gemini-2.0-flash-preview-05-20",
      "azure, gpt-4o",
  })
  void otherSuffixesOtherProvidersAndOtherCaseAreUnknown(String provider, String model) {
    assertThat(found(provider, model)).isEqualTo("unknown");
  }

  @Test
  void aSnapshotOfAnIdThatItselfLooksDatedFindsTheLongerId() {
    ModelCatalog nested = parse(HEADER, row("p", "m"), row("p", "m-2024"));
    assertThat(nested.find("p", "m-2024-0101")).map(ModelInfo::id).contains("p/m-2024");
    assertThat(nested.find("p", "m-2024")).map(ModelInfo::id).contains("p/m-2024");
  }

  @Test
  void theEmptyCatalogKnowsNothing() {
    assertThat(ModelCatalog.empty().find("openai", "gpt-4o")).isEmpty();
    assertThat(ModelCatalog.empty().models()).isEmpty();
  }
}

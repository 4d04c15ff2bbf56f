package dev.llmgateway.catalog;

import static dev.llmgateway.catalog.CatalogFiles.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogOverrideTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 26);

  private static ModelInfo model(String provider, String model, String input) {
    return ModelInfo.of(provider, model, 128_000, 16_384, ModelCapabilities.ALL,
        ModelPricing.usd(new BigDecimal(input), new BigDecimal("1"), DAY, "https://example.com"));
  }

  @Test
  void aLaterEntryFromCodeReplacesTheBundledOne() {
    ModelCatalog catalog = ModelCatalog.builder()
        .addAll(ModelCatalog.bundled())
        .add(model("openai", "gpt-4o", "9.99"))
        .build();

    assertThat(catalog.find("openai", "gpt-4o").orElseThrow().pricing().input())
        .isEqualByComparingTo("9.99");
    assertThat(catalog.find("openai", "gpt-4o-2024-08-06").orElseThrow().pricing().input())
        .isEqualByComparingTo("9.99");
    assertThat(catalog.models()).hasSize(ModelCatalog.bundled().models().size());
    assertThat(ModelCatalog.bundled().find("openai", "gpt-4o").orElseThrow().pricing().input())
        .isEqualByComparingTo("2.50");
  }

  @Test
  void codeCanAddModelsTheBundledCatalogLacks() {
    ModelCatalog catalog = ModelCatalog.bundled().merge(
        ModelCatalog.builder().add(model("my-vllm", "llama-3-8b-ft", "0")).build());

    assertThat(catalog.find("my-vllm", "llama-3-8b-ft")).isPresent();
    assertThat(catalog.find("openai", "gpt-4o")).isPresent();
  }

  @Test
  void mergeLetsTheOtherCatalogWin() {
    ModelCatalog a = ModelCatalog.builder().add(model("p", "m", "1")).add(model("p", "n", "2")).build();
    ModelCatalog b = ModelCatalog.builder().add(model("p", "m", "3")).build();

    assertThat(a.merge(b).find("p", "m").orElseThrow().pricing().input()).isEqualByComparingTo("3");
    assertThat(b.merge(a).find("p", "m").orElseThrow().pricing().input()).isEqualByComparingTo("1");
    assertThat(a.merge(b).models()).extracting(ModelInfo::id).containsExactly("p/n", "p/m");
  }

  @Test
  void anAliasClaimedByALaterEntryPointsThere() {
    ModelInfo first = new ModelInfo("p", "m1", List.of("m"), 1000, null, ModelCapabilities.ALL, null, null);
    ModelInfo second = new ModelInfo("p", "m2", List.of("m"), 1000, null, ModelCapabilities.ALL, null, null);
    ModelCatalog catalog = ModelCatalog.builder().add(first).add(second).build();

    assertThat(catalog.find("p", "m")).contains(second);
    assertThat(catalog.find("p", "m1")).contains(first);
  }

  @Test
  void aFileOverridesAndExtendsTheBundledCatalog(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("my-models.csv");
    Files.writeString(file, String.join("\n",
        "# our negotiated prices",
        HEADER,
        "openai,gpt-4o,,128_000,16_384,yes,yes,yes,no,2.00,1.00,,8.00,,,,,,,,USD,2026-11-01,"
            + "https://contracts.example.com/openai,negotiated",
        "openai,ft:gpt-4o-mini:acme,,128_000,16_384,yes,no,yes,no,0.30,0.15,,1.20,,,,,,,,USD,2026-11-01,"
            + "https://platform.openai.com/docs/pricing,fine-tune"), StandardCharsets.UTF_8);

    ModelCatalog catalog = ModelCatalog.builder().addAll(ModelCatalog.bundled()).load(file).build();

    ModelInfo gpt4o = catalog.find("openai", "gpt-4o").orElseThrow();
    assertThat(gpt4o.pricing().input()).isEqualByComparingTo("2.00");
    assertThat(gpt4o.note()).isEqualTo("negotiated");
    assertThat(catalog.find("openai", "ft:gpt-4o-mini:acme").orElseThrow().capabilities().vision()).isFalse();
    assertThat(catalog.find("openai", "gpt-4o-mini").orElseThrow().pricing().input())
        .isEqualByComparingTo("0.15");
    assertThat(ModelCatalog.load(file).models()).hasSize(2);
  }

  @Test
  void aMalformedFileFailsNamingItsPath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.csv");
    Files.writeString(file, HEADER + "\nopenai,gpt-4o\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ModelCatalog.load(file))
        .isInstanceOfSatisfying(ModelCatalogFormatException.class, e -> {
          assertThat(e.sourceName()).isEqualTo(file.toString());
          assertThat(e.getMessage()).startsWith(file + " line 2, column 3 (aliases): missing");
        });
  }

  @Test
  void aMissingFileIsAConfigurationError(@TempDir Path dir) {
    Path file = dir.resolve("absent.csv");
    assertThatThrownBy(() -> ModelCatalog.load(file))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("cannot read model catalog " + file);
  }
}

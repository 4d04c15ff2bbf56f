package dev.llmgateway.catalog;

import dev.llmgateway.catalog.internal.CatalogCsvReader;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.internal.Require;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An immutable set of {@link ModelInfo}s, looked up by provider and model. The gateway checks requests
 * against it before a call, and cost accounting reads its prices.
 *
 * <p><b>Lookup rule</b> ({@link #find(String, String)}), within the given provider only:
 * <ol>
 *   <li>an exact match on a model id or one of its aliases (case-sensitive);
 *   <li>otherwise a dated snapshot of a known id: the requested id is a known id followed by a snapshot
 *       suffix, {@code -YYYY-MM-DD}, {@code -YYYYMMDD}, {@code @YYYYMMDD} or a 3-4 digit version such as
 *       {@code -001} or {@code -0613} (so {@code gpt-4o-2024-08-06} finds {@code gpt-4o} and
 *       {@code gemini-2.0-flash-001} finds {@code gemini-2.0-flash}); if several known ids qualify the
 *       longest wins;
 *   <li>otherwise nothing: the model is unknown, and the gateway lets the request through.
 * </ol>
 * Any other suffix is a different model: {@code gpt-4o-mini} never falls back to {@code gpt-4o}, nor
 * {@code gpt-5.2} to {@code gpt-5}. A snapshot whose prices or limits differ from its family's (e.g.
 * {@code gpt-4o-2024-05-13}) has an entry of its own, which the exact match finds first.
 *
 * <p><b>Building</b>: {@link #bundled()} is the catalog shipped in this jar; {@link #builder()} combines
 * catalogs, files and entries, later ones replacing earlier ones with the same provider and model:
 * <pre>{@code
 * ModelCatalog catalog = ModelCatalog.builder()
 *     .addAll(ModelCatalog.bundled())
 *     .load(Path.of("my-models.csv"))   // same format as the bundled file
 *     .add(myFineTune)
 *     .build();
 * }</pre>
 * When two entries claim the same id or alias, the one added later wins.
 */
public final class ModelCatalog {
  /** The classpath resource holding the bundled catalog. */
  public static final String BUNDLED_RESOURCE = "/dev/llmgateway/catalog/models.csv";

  private static final Pattern SNAPSHOT_SUFFIX =
      Pattern.compile("(?:-\\d{4}-\\d{2}-\\d{2}|[-@]\\d{8}|-\\d{3,4})");

  private static final ModelCatalog EMPTY = new ModelCatalog(List.of());

  private final List<ModelInfo> models;
  /** provider -> (model id or alias -> entry). */
  private final Map<String, Map<String, ModelInfo>> byName;

  private ModelCatalog(List<ModelInfo> models) {
    this.models = List.copyOf(models);
    Map<String, Map<String, ModelInfo>> index = new HashMap<>();
    for (ModelInfo info : this.models) {
      Map<String, ModelInfo> names = index.computeIfAbsent(info.provider(), p -> new HashMap<>());
      names.put(info.model(), info);
      info.aliases().forEach(alias -> names.put(alias, info));
    }
    index.replaceAll((provider, names) -> Map.copyOf(names));
    this.byName = Map.copyOf(index);
  }

  /** A catalog with no models: every model is unknown, so nothing is ever refused. */
  public static ModelCatalog empty() {
    return EMPTY;
  }

  /**
   * The catalog shipped with llm-gateway ({@value #BUNDLED_RESOURCE}): current models of OpenAI,
   * Anthropic, Google Gemini, Mistral and Groq, each priced with the date and source of its prices.
   * Loaded once; the same instance every time.
   */
  public static ModelCatalog bundled() {
    return Bundled.CATALOG;
  }

  /** Parses a catalog file (the format of {@code docs/model-catalog.md}). */
  public static ModelCatalog load(Path file) {
    return builder().load(file).build();
  }

  /**
   * Parses catalog text from {@code reader}; {@code sourceName} names it in error messages.
   *
   * @throws ModelCatalogFormatException naming the line and column of the first malformed field
   */
  public static ModelCatalog parse(String sourceName, Reader reader) {
    return builder().load(sourceName, reader).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every model, in the order added. */
  public List<ModelInfo> models() {
    return models;
  }

  /** The entry for {@code model} of {@code provider} by the lookup rule above, or empty when unknown. */
  public Optional<ModelInfo> find(String provider, String model) {
    Require.nonNull(provider, "provider");
    Require.nonNull(model, "model");
    Map<String, ModelInfo> names = byName.get(provider);
    if (names == null) {
      return Optional.empty();
    }
    ModelInfo exact = names.get(model);
    if (exact != null) {
      return Optional.of(exact);
    }
    ModelInfo best = null;
    int bestLength = -1;
    for (Map.Entry<String, ModelInfo> e : names.entrySet()) {
      String known = e.getKey();
      if (known.length() > bestLength && model.length() > known.length() && model.startsWith(known)
          && SNAPSHOT_SUFFIX.matcher(model).region(known.length(), model.length()).matches()) {
        best = e.getValue();
        bestLength = known.length();
      }
    }
    return Optional.ofNullable(best);
  }

  /** A catalog with this one's models and {@code other}'s, {@code other} winning where both have one. */
  public ModelCatalog merge(ModelCatalog other) {
    return builder().addAll(this).addAll(Require.nonNull(other, "other")).build();
  }

  @Override
  public String toString() {
    return "ModelCatalog[" + models.size() + " models]";
  }

  /**
   * Collects models; an entry with the same provider and model as an earlier one replaces it. Not
   * thread-safe.
   */
  public static final class Builder {
    private final Map<String, ModelInfo> models = new LinkedHashMap<>();

    private Builder() {}

    /** Adds {@code info}, replacing any entry with the same provider and model. */
    public Builder add(ModelInfo info) {
      Require.nonNull(info, "info");
      models.remove(info.id());
      models.put(info.id(), info);
      return this;
    }

    /** Adds every model of {@code catalog}, in its order. */
    public Builder addAll(ModelCatalog catalog) {
      Require.nonNull(catalog, "catalog").models().forEach(this::add);
      return this;
    }

    /**
     * Adds every model of a catalog file (UTF-8).
     *
     * @throws ModelCatalogFormatException naming the line and column of the first malformed field
     * @throws LlmConfigurationException when the file cannot be read
     */
    public Builder load(Path file) {
      Require.nonNull(file, "file");
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return load(file.toString(), reader);
      } catch (IOException e) {
        throw new LlmConfigurationException("cannot read model catalog " + file + ": " + e,
            ErrorContext.EMPTY, e);
      }
    }

    /**
     * Adds every model of catalog text read from {@code reader}; {@code sourceName} names it in error
     * messages. The reader is not closed.
     *
     * @throws ModelCatalogFormatException naming the line and column of the first malformed field
     */
    public Builder load(String sourceName, Reader reader) {
      Require.nonBlank(sourceName, "sourceName");
      Require.nonNull(reader, "reader");
      List<ModelInfo> parsed;
      try {
        parsed = CatalogCsvReader.read(sourceName, reader);
      } catch (IOException e) {
        throw new LlmConfigurationException("cannot read model catalog " + sourceName + ": " + e,
            ErrorContext.EMPTY, e);
      }
      parsed.forEach(this::add);
      return this;
    }

    public ModelCatalog build() {
      return new ModelCatalog(new ArrayList<>(models.values()));
    }
  }

  /** Holds the bundled catalog, loaded on first use and never changed afterwards. */
  private static final class Bundled {
    static final ModelCatalog CATALOG = loadBundled();

    private static ModelCatalog loadBundled() {
      InputStream in = ModelCatalog.class.getResourceAsStream(BUNDLED_RESOURCE);
      if (in == null) {
        throw new IllegalStateException("the bundled model catalog " + BUNDLED_RESOURCE
            + " is missing from the class path");
      }
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        return parse("models.csv", reader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the bundled model catalog", e);
      }
    }
  }
}

package dev.llmgateway.prompt.internal;

import com.github.mustachejava.MustacheNotFoundException;
import com.github.mustachejava.SpecMustacheFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A Mustache factory for prompts: spec whitespace rules (standalone tags leave no blank lines), no
 * HTML escaping (a prompt is not HTML: {@code {{x}}} writes the value as it is), partials from an
 * in-memory map by exact name (no file extensions, no directories), and strict variables through
 * {@link StrictObjectHandler}. One factory per compiled template, so nothing is shared or cached
 * between templates.
 */
public final class StrictMustacheFactory extends SpecMustacheFactory {
  private final Map<String, String> partials;
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private volatile @Nullable String unknownPartial;

  public StrictMustacheFactory(Map<String, String> partials) {
    this.partials = Map.copyOf(partials);
    setObjectHandler(new StrictObjectHandler());
  }

  @Override
  public String resolvePartialPath(String dir, String name, String extension) {
    return name;
  }

  @Override
  public Reader getReader(String resourceName) {
    String source = partials.get(resourceName);
    if (source == null) {
      unknownPartial = resourceName;
      throw new MustacheNotFoundException(resourceName);
    }
    used.add(resourceName);
    return new StringReader(source);
  }

  @Override
  public void encode(String value, Writer writer) {
    try {
      writer.write(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The partials compiled so far (the ones the template includes, directly or not). */
  public Set<String> usedPartials() {
    return Set.copyOf(used);
  }

  /** The name of the last partial asked for that does not exist, or null. */
  public @Nullable String unknownPartial() {
    return unknownPartial;
  }
}

package dev.llmgateway.prompt.internal;

import com.github.mustachejava.Binding;
import com.github.mustachejava.Code;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.reflect.MissingWrapper;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import com.github.mustachejava.util.GuardException;
import com.github.mustachejava.util.Wrapper;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * mustache.java's reflective lookup (maps by key, records and beans by accessor, dotted names), made
 * strict: a name that no scope defines throws {@link MissingValueSignal} instead of rendering as
 * nothing, and so does a value tag whose value is null. A section over a defined name whose value is
 * null, false or empty is merely switched off.
 *
 * <p>Each lookup resolves afresh (no guard caching as in mustache.java's {@code GuardedBinding}):
 * prompts are small and rendered once per call, and a fresh lookup cannot go stale between calls with
 * differently shaped values.
 */
public final class StrictObjectHandler extends ReflectionObjectHandler {

  @Override
  public Binding createBinding(String name, TemplateContext tc, Code code) {
    boolean valueTag = code instanceof ValueCode;
    String location = tc.file() + ":" + tc.line();
    return scopes -> resolve(name, scopes, valueTag, location);
  }

  private @Nullable Object resolve(String name, List<Object> scopes, boolean valueTag,
      String location) {
    Wrapper wrapper = find(name, scopes);
    if (wrapper instanceof MissingWrapper) {
      throw new MissingValueSignal(name, location);
    }
    Object value;
    try {
      value = wrapper.call(scopes);
    } catch (GuardException e) {
      // cannot happen for a wrapper found for these very scopes; treat it as not found
      throw new MissingValueSignal(name, location);
    }
    if (value == null && valueTag) {
      throw new MissingValueSignal(name, location);
    }
    return value;
  }
}

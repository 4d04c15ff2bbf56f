package dev.llmgateway.prompt.internal;

import com.github.mustachejava.Binding;
import com.github.mustachejava.Code;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.reflect.AbstractObjectHandler;
import com.github.mustachejava.util.Wrapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How prompt templates look names up: strictly, and only in data. A name resolves against the scopes
 * from the innermost outwards; in each scope it is
 * <ul>
 *   <li>a key of a {@link Map} ({@code containsKey}, so a key whose value is null is defined), or
 *   <li>a component of a record (its accessor), and
 *   <li>nothing else: no other methods, fields or bean getters. {@code {{length}}} on a string,
 *       {@code {{hashCode}}} or {@code {{toString}}} on a record, {@code {{size}}} on a map or a list
 *       are not variables, so a typo can never render some unrelated method's result.
 * </ul>
 * A dotted name ({@code user.name}) resolves its first segment as above, then each further segment
 * inside the previous value only (the Mustache spec's rule), never in outer scopes.
 *
 * <p>An {@link Optional} value (anywhere: a scope, a segment, the result) is unwrapped; an empty one is
 * null. A name no scope defines throws {@link MissingValueSignal} instead of rendering as nothing, and
 * so does a value tag whose value is null. A section over a defined name whose value is null, an empty
 * {@code Optional}, false or empty is merely switched off.
 *
 * <p>Each lookup resolves afresh (no guard caching as in mustache.java's {@code GuardedBinding}):
 * prompts are small and rendered once per call, and a fresh lookup cannot go stale between calls with
 * differently shaped values.
 */
public final class StrictObjectHandler extends AbstractObjectHandler {
  /** What a lookup returns for a name that a scope does not define; distinct from null. */
  private static final Object UNDEFINED = new Object();

  @Override
  public Binding createBinding(String name, TemplateContext tc, Code code) {
    boolean valueTag = code instanceof ValueCode;
    String location = tc.file() + ":" + tc.line();
    return scopes -> resolve(name, scopes, valueTag, location);
  }

  /** mustache.java's own lookups (not used by prompt templates, whose bindings are made above). */
  @Override
  public Wrapper find(String name, List<Object> scopes) {
    return s -> {
      Object value = lookup(name, s);
      return value == UNDEFINED ? null : value;
    };
  }

  private static @Nullable Object resolve(String name, List<Object> scopes, boolean valueTag,
      String location) {
    Object value = lookup(name, scopes);
    if (value == UNDEFINED || (value == null && valueTag)) {
      throw new MissingValueSignal(name, location);
    }
    return value;
  }

  /** The value of {@code name} in {@code scopes}, unwrapped; {@link #UNDEFINED} when not defined. */
  private static @Nullable Object lookup(String name, List<Object> scopes) {
    int dot = name.indexOf('.');
    String first = dot < 0 ? name : name.substring(0, dot);
    for (int i = scopes.size() - 1; i >= 0; i--) {
      Object value = member(scopes.get(i), first);
      if (value == UNDEFINED) {
        continue;
      }
      int from = dot;
      while (from >= 0) {
        int next = name.indexOf('.', from + 1);
        String segment = next < 0 ? name.substring(from + 1) : name.substring(from + 1, next);
        value = member(value, segment);
        if (value == UNDEFINED) {
          return UNDEFINED;
        }
        from = next;
      }
      return value;
    }
    return UNDEFINED;
  }

  /** {@code name} in {@code scope}: a map's key or a record's component; {@link #UNDEFINED} otherwise. */
  private static @Nullable Object member(@Nullable Object scope, String name) {
    Object target = unwrap(scope);
    if (target instanceof Map<?, ?> map) {
      return map.containsKey(name) ? unwrap(map.get(name)) : UNDEFINED;
    }
    if (target instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        if (component.getName().equals(name)) {
          return unwrap(read(record, component.getAccessor()));
        }
      }
    }
    return UNDEFINED;
  }

  private static @Nullable Object read(Record record, Method accessor) {
    try {
      if (!accessor.canAccess(record)) {
        accessor.trySetAccessible();
      }
      return accessor.invoke(record);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read component " + accessor.getName() + " of "
          + record.getClass().getName() + ": the record is not accessible", e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("component " + accessor.getName() + " of "
          + record.getClass().getName() + " failed", cause);
    }
  }

  private static @Nullable Object unwrap(@Nullable Object value) {
    Object v = value;
    while (v instanceof Optional<?> optional) {
      v = optional.orElse(null);
    }
    return v;
  }
}

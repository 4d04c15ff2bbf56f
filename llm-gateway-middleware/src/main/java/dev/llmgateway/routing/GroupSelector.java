package dev.llmgateway.routing;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.gateway.internal.Check;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Conditional routing: chooses the {@link ModelGroup} for a request from what the request says, before
 * the router looks its model up as a group name. Selectors are consulted in the order they were added to
 * the router; the first that answers wins, and when none does the request's model picks the group (or,
 * naming no group, passes through untouched). Small enough for a lambda:
 *
 * <pre>{@code
 * GroupSelector premium = request -> request.model().equals("chat")
 *     && "gold".equals(request.metadata().tags().get("plan")) ? "chat-premium" : null;
 * }</pre>
 *
 * <p>A selector that names a group the router does not have fails the call with an
 * {@link dev.llmgateway.error.LlmConfigurationException}. {@link AbSplit} is a selector too.
 */
@FunctionalInterface
public interface GroupSelector {

  /** The name of the group to route {@code request} to, or null to leave the choice to others. */
  @Nullable String select(ChatRequest request);

  /**
   * Requests for {@code model} from a tenant of {@code groupByTenant} go to that tenant's group.
   *
   * <pre>{@code GroupSelector.byTenant("chat", Map.of("acme", "chat-acme-dedicated"))}</pre>
   */
  static GroupSelector byTenant(String model, Map<String, String> groupByTenant) {
    Check.nonBlank(model, "model");
    Map<String, String> groups = Check.copyOf(groupByTenant, "groupByTenant");
    return request -> {
      String tenant = request.metadata().tenant();
      return model.equals(request.model()) && tenant != null ? groups.get(tenant) : null;
    };
  }

  /**
   * Requests for {@code model} whose metadata tag {@code tag} has a value of {@code groupByValue} go to
   * that value's group.
   *
   * <pre>{@code GroupSelector.byTag("chat", "region", Map.of("eu", "chat-eu"))}</pre>
   */
  static GroupSelector byTag(String model, String tag, Map<String, String> groupByValue) {
    Check.nonBlank(model, "model");
    Check.nonBlank(tag, "tag");
    Map<String, String> groups = Check.copyOf(groupByValue, "groupByValue");
    return request -> {
      String value = request.metadata().tags().get(tag);
      return model.equals(request.model()) && value != null ? groups.get(value) : null;
    };
  }

  /**
   * Requests for {@code model} whose estimated input ({@link TokenEstimator#CHARS_OVER_FOUR}) is at
   * least {@code minTokens} go to {@code group}, e.g. a long-context model.
   *
   * <pre>{@code GroupSelector.byPromptSize("chat", 100_000, "chat-long")}</pre>
   */
  static GroupSelector byPromptSize(String model, long minTokens, String group) {
    Check.nonBlank(model, "model");
    Check.nonBlank(group, "group");
    Check.that(minTokens > 0, "minTokens must be > 0, was " + minTokens);
    return request -> model.equals(request.model())
        && TokenEstimator.CHARS_OVER_FOUR.estimate(request) >= minTokens ? group : null;
  }
}

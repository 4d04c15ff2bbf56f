package dev.llmgateway.prompt;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.RequestMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link PromptRegistry} chose for one call: the prompt version, the model group to send it to,
 * and the experiment variant when an experiment made the choice. Kept with the response
 * ({@link PromptResponse#selection()}) so that a caller knows what produced an answer.
 *
 * @param prompt the prompt version
 * @param modelGroup the model group the request goes to: the version's own, or an experiment variant's
 * @param assignment the experiment variant the call was assigned; null outside an experiment
 * @param variantModelGroup the model group the assigned variant names, when it names one (then equal
 *     to {@code modelGroup}, even when it is also the version's own); null outside an experiment or
 *     when the variant keeps the version's own group. Says whether the group is the experiment's
 *     choice, which a caller that overrides the group (a {@code PromptFunction}) must respect.
 */
public record PromptSelection(Prompt prompt, String modelGroup,
    PromptExperiment.@Nullable Assignment assignment, @Nullable String variantModelGroup) {

  /** The metadata tag holding the prompt version, {@code name@version}: {@value}. */
  public static final String TAG_PROMPT = "prompt";
  /** The metadata tag holding the experiment's name, set inside an experiment only: {@value}. */
  public static final String TAG_EXPERIMENT = "prompt.experiment";
  /** The metadata tag holding the variant's name, set inside an experiment only: {@value}. */
  public static final String TAG_VARIANT = "prompt.variant";

  public PromptSelection {
    Objects.requireNonNull(prompt, "prompt");
    if (modelGroup == null || modelGroup.isBlank()) {
      throw new PromptDefinitionException(null, "selection.modelGroup", "must not be blank");
    }
    if (variantModelGroup != null) {
      if (assignment == null) {
        throw new PromptDefinitionException(null, "selection.variantModelGroup",
            "needs an assignment: only an experiment variant chooses a model group");
      }
      if (!variantModelGroup.equals(modelGroup)) {
        throw new PromptDefinitionException(null, "selection.variantModelGroup",
            "must equal modelGroup: the variant's group is the one the request goes to");
      }
    }
  }

  /**
   * A selection whose model group did not come from an experiment variant ({@link #variantModelGroup}
   * null): the form of this record before it said where the group came from.
   */
  public PromptSelection(Prompt prompt, String modelGroup,
      PromptExperiment.@Nullable Assignment assignment) {
    this(prompt, modelGroup, assignment, null);
  }

  /** The prompt as it is, on its own model group, outside any experiment. */
  public static PromptSelection of(Prompt prompt) {
    return new PromptSelection(prompt, prompt.modelGroup(), null);
  }

  /** The prompt version, {@code name@version}. */
  public String ref() {
    return prompt.ref();
  }

  /**
   * Whether the model group is an experiment variant's choice ({@link #variantModelGroup} is set),
   * which wins over any other override of the group.
   */
  public boolean modelGroupFromVariant() {
    return variantModelGroup != null;
  }

  /** The variant's name; null outside an experiment. */
  public @Nullable String variant() {
    return assignment != null ? assignment.variant() : null;
  }

  /**
   * The request to send: the prompt rendered with {@code variables}, model = {@link #modelGroup}, and
   * {@code metadata} with the tags {@value #TAG_PROMPT} = {@link #ref()} and, in an experiment,
   * {@value #TAG_EXPERIMENT} and {@value #TAG_VARIANT}. These replace any caller tags of the same
   * names; outside an experiment the caller's {@value #TAG_EXPERIMENT} and {@value #TAG_VARIANT} tags
   * are removed, so that usage is never attributed to a variant that did not run.
   *
   * @throws MissingVariableException when a variable the prompt needs is missing
   */
  public ChatRequest toRequest(Map<String, ?> variables, RequestMetadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    Map<String, String> tags = new LinkedHashMap<>(metadata.tags());
    if (assignment != null) {
      tags.put(TAG_EXPERIMENT, assignment.experiment());
      tags.put(TAG_VARIANT, assignment.variant());
    } else {
      tags.remove(TAG_EXPERIMENT);
      tags.remove(TAG_VARIANT);
    }
    ChatRequest request = prompt.toRequest(variables, metadata.withTags(tags));
    return modelGroup.equals(request.model()) ? request : request.withModel(modelGroup);
  }
}

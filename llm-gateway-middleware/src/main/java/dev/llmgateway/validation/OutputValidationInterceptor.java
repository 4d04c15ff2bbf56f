package dev.llmgateway.validation;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatResponseAccumulator;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.OutputValidationException;
import dev.llmgateway.guard.GuardDecision;
import dev.llmgateway.guard.GuardDecision.Stage;
import dev.llmgateway.guard.GuardDecision.Verdict;
import dev.llmgateway.guard.GuardListener;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.guard.internal.DecisionReporter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Makes sure an answer to a request whose {@link ResponseFormat} is
 * {@link ResponseFormat.Type#JSON_SCHEMA} is JSON matching that schema. Requests with any other format
 * pass untouched.
 *
 * <pre>{@code
 * OutputValidationInterceptor validation = OutputValidationInterceptor.builder()
 *     .repairAttempts(1)
 *     .build();
 * }</pre>
 *
 * <p><b>Blocking calls.</b> The answer's text is parsed and validated with the {@link SchemaValidator}
 * (networknt's by default). A single Markdown code fence around it ({@code ```json ... ```}), which
 * models without a native JSON mode like to add, is removed first, and a valid answer is returned with the
 * bare JSON as its text. When it is invalid, the interceptor makes up to {@link Builder#repairAttempts}
 * repair attempts: it proceeds down the chain again with the conversation plus the invalid answer (as an
 * assistant turn) and a user turn listing the validation errors ({@link #DEFAULT_REPAIR_INSTRUCTIONS}),
 * and validates the new answer. If the last answer is still invalid, it throws
 * {@link OutputValidationException} carrying that answer's raw text and errors; its message names the
 * schema, the number of errors and the first one, never the text. Answers without text (tool calls) are
 * not validated. Each repair attempt is a full call below this interceptor: it is routed, retried,
 * budgeted and billed like the first.
 *
 * <p><b>Streams</b> are validated at their end, since a JSON document can only be judged whole: chunks
 * pass through as they arrive and are assembled on the side; when the stream ends, an invalid answer
 * makes the stream's last {@code next()} throw {@link OutputValidationException} instead of returning the
 * end. <b>There is no repair on a stream</b>: the invalid text has already been delivered, and repairing
 * would mean buffering the whole answer, which the pipeline never does. A caller that needs the repair
 * loop makes a blocking call.
 *
 * <p><b>Reports.</b> Every validation is a {@link GuardDecision} ({@value #NAME}, stage
 * {@code OUTPUT}, score = the number of errors, rule {@code schema:<name>}): {@code ALLOW} when valid at
 * once, {@code FLAG} when it took a repair, {@code BLOCK} when it failed. Thread-safe.
 */
public final class OutputValidationInterceptor implements Interceptor {
  /** The guard's name in decisions and the audit log. */
  public static final String NAME = "output-validation";
  /** Repair attempts after an invalid answer by default: {@value}. */
  public static final int DEFAULT_REPAIR_ATTEMPTS = 1;
  /** The most validation errors listed in a repair message by default: {@value}. */
  public static final int DEFAULT_MAX_ERRORS_IN_REPAIR = 10;
  /** Whether one Markdown code fence around the answer is removed by default: {@value}. */
  public static final boolean DEFAULT_STRIP_CODE_FENCE = true;
  /**
   * The repair message by default; {@code %s} receives the schema's name, then the errors, one per line.
   */
  public static final String DEFAULT_REPAIR_INSTRUCTIONS = """
      Your previous answer does not match the JSON schema "%s". Validation errors:
      %s
      Answer again with only the corrected JSON document, no explanation and no code fence.""";

  private static final Pattern FENCE =
      Pattern.compile("\\A\\s*```[A-Za-z0-9_-]*[ \\t]*\\r?\\n(.*?)\\r?\\n?```\\s*\\z", Pattern.DOTALL);

  private final Supplier<SchemaValidator> validatorSource;
  private volatile @Nullable SchemaValidator validator;
  private final int repairAttempts;
  private final int maxErrorsInRepair;
  private final boolean stripCodeFence;
  private final String repairInstructions;
  private final DecisionReporter reporter;

  private OutputValidationInterceptor(Builder b) {
    this.validator = b.validator;
    this.validatorSource = SchemaValidator::networknt;
    this.repairAttempts = b.repairAttempts;
    this.maxErrorsInRepair = b.maxErrorsInRepair;
    this.stripCodeFence = b.stripCodeFence;
    this.repairInstructions = b.repairInstructions;
    this.reporter = new DecisionReporter(b.listener);
  }

  public static Builder builder() {
    return new Builder();
  }

  public int repairAttempts() {
    return repairAttempts;
  }

  public int maxErrorsInRepair() {
    return maxErrorsInRepair;
  }

  public boolean stripCodeFence() {
    return stripCodeFence;
  }

  public String repairInstructions() {
    return repairInstructions;
  }

  /** The validator in use; the networknt one unless the builder was given another. */
  public SchemaValidator validator() {
    SchemaValidator v = validator;
    if (v == null) {
      synchronized (this) {
        v = validator;
        if (v == null) {
          v = validatorSource.get();
          validator = v;
        }
      }
    }
    return v;
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    ResponseFormat format = request.responseFormat();
    if (format == null || format.type() != ResponseFormat.Type.JSON_SCHEMA) {
      return chain.proceed(request);
    }
    String schemaName = Objects.requireNonNull(format.schemaName());
    String schema = Objects.requireNonNull(format.schema());
    SchemaValidator v = validator();
    ChatRequest current = request;
    ChatResponse response = chain.proceed(current);
    for (int attempt = 0; ; attempt++) {
      if (response.text().isEmpty()) {
        return response;
      }
      String json = stripCodeFence ? unfenced(response.text()) : response.text();
      List<String> errors = checked(v.validate(schema, json));
      if (errors.isEmpty()) {
        report(chain.context(), attempt == 0 ? Verdict.ALLOW : Verdict.FLAG, schemaName, 0,
            attempt == 0 ? null : "after " + attempt + " repair attempt" + (attempt == 1 ? "" : "s"));
        return json.equals(response.text()) ? response : withText(response, json);
      }
      if (attempt >= repairAttempts) {
        GuardDecision decision = report(chain.context(), Verdict.BLOCK, schemaName, errors.size(),
            attempt == 0 ? null : "after " + attempt + " repair attempt" + (attempt == 1 ? "" : "s"));
        throw failure(request, response, schemaName, errors, attempt, decision);
      }
      current = current.toBuilder()
          .message(Message.assistant(response.text()))
          .user(repairMessage(schemaName, errors))
          .build();
      response = chain.proceed(current);
    }
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    ResponseFormat format = request.responseFormat();
    if (format == null || format.type() != ResponseFormat.Type.JSON_SCHEMA) {
      return chain.proceed(request);
    }
    String schemaName = Objects.requireNonNull(format.schemaName());
    String schema = Objects.requireNonNull(format.schema());
    SchemaValidator v = validator();
    CallContext context = chain.context();
    ChatStream upstream = chain.proceed(request);
    ChatResponseAccumulator answer = new ChatResponseAccumulator();
    return new ChatStream() {
      private @Nullable LlmException failure;
      private boolean ended;

      @Override
      public @Nullable ChatChunk next() {
        if (failure != null) {
          throw failure;
        }
        if (ended) {
          return null;
        }
        ChatChunk chunk = upstream.next();
        if (chunk != null) {
          synchronized (answer) {
            answer.accept(chunk);
          }
          return chunk;
        }
        ended = true;
        ChatResponse whole;
        synchronized (answer) {
          whole = answer.build();
        }
        if (whole.text().isEmpty()) {
          return null;
        }
        String json = stripCodeFence ? unfenced(whole.text()) : whole.text();
        List<String> errors = checked(v.validate(schema, json));
        if (errors.isEmpty()) {
          report(context, Verdict.ALLOW, schemaName, 0, null);
          return null;
        }
        GuardDecision decision = report(context, Verdict.BLOCK, schemaName, errors.size(), null);
        failure = failure(request, whole, schemaName, errors, 0, decision);
        throw failure;
      }

      @Override
      public void close() {
        upstream.close();
      }
    };
  }

  private String repairMessage(String schemaName, List<String> errors) {
    List<String> shown = errors.size() <= maxErrorsInRepair ? errors : errors.subList(0, maxErrorsInRepair);
    StringBuilder list = new StringBuilder();
    for (String e : shown) {
      list.append("- ").append(e).append('\n');
    }
    if (shown.size() < errors.size()) {
      list.append("- (and ").append(errors.size() - shown.size()).append(" more)\n");
    }
    return String.format(repairInstructions, schemaName, list.toString().stripTrailing());
  }

  private GuardDecision report(CallContext context, Verdict verdict, String schemaName, int errors,
      @Nullable String location) {
    GuardDecision decision = new GuardDecision(NAME, Stage.OUTPUT, verdict, errors, null,
        List.of("schema:" + schemaName), List.of(), location, Instant.now());
    reporter.report(context, decision);
    return decision;
  }

  private static OutputValidationException failure(ChatRequest request, ChatResponse response,
      String schemaName, List<String> errors, int repairs, GuardDecision decision) {
    String first = errors.get(0);
    if (first.length() > 200) {
      first = first.substring(0, 200) + "...";
    }
    String message = "the answer does not match the JSON schema '" + schemaName + "'"
        + (repairs == 0 ? "" : " after " + repairs + " repair attempt" + (repairs == 1 ? "" : "s"))
        + ": " + errors.size() + " error" + (errors.size() == 1 ? "" : "s") + ", first: " + first;
    ErrorContext context = ErrorContext.of(response.provider().isEmpty() ? null : response.provider(),
        response.model().isEmpty() ? request.model() : response.model()).withRequestId(response.requestId());
    return new OutputValidationException(message, response.text(), errors, context, null);
  }

  private static List<String> checked(@Nullable List<String> errors) {
    return List.copyOf(Objects.requireNonNull(errors, "the schema validator returned null"));
  }

  /** {@code text} without one Markdown code fence around it, or unchanged when it has none. */
  static String unfenced(String text) {
    Matcher m = FENCE.matcher(text);
    return m.matches() ? m.group(1).strip() : text;
  }

  /** {@code response} with its text parts replaced by one text part holding {@code text}. */
  private static ChatResponse withText(ChatResponse response, String text) {
    List<ContentPart> parts = new ArrayList<>();
    boolean placed = false;
    for (ContentPart part : response.message().content()) {
      if (part instanceof ContentPart.Text) {
        if (!placed) {
          parts.add(new ContentPart.Text(text));
          placed = true;
        }
      } else {
        parts.add(part);
      }
    }
    return response.toBuilder()
        .message(new Message(response.message().role(), parts, response.message().name()))
        .build();
  }

  @Override
  public String toString() {
    return "OutputValidationInterceptor[repairAttempts=" + repairAttempts + "]";
  }

  /** Builds an {@link OutputValidationInterceptor}. Not thread-safe. */
  public static final class Builder {
    private @Nullable SchemaValidator validator;
    private int repairAttempts = DEFAULT_REPAIR_ATTEMPTS;
    private int maxErrorsInRepair = DEFAULT_MAX_ERRORS_IN_REPAIR;
    private boolean stripCodeFence = DEFAULT_STRIP_CODE_FENCE;
    private String repairInstructions = DEFAULT_REPAIR_INSTRUCTIONS;
    private GuardListener listener = GuardListener.NONE;

    private Builder() {}

    /**
     * The validator. Defaults to {@link SchemaValidator#networknt()}, created on first use (so a gateway
     * whose calls never ask for a schema does not need the library).
     */
    public Builder validator(SchemaValidator validator) {
      this.validator = Check.nonNull(validator, "validator");
      return this;
    }

    /**
     * How many times an invalid answer is sent back with its errors, 0 to fail at once. Defaults to
     * {@value OutputValidationInterceptor#DEFAULT_REPAIR_ATTEMPTS}.
     */
    public Builder repairAttempts(int repairAttempts) {
      this.repairAttempts = Check.atLeast(repairAttempts, 0, "repairAttempts");
      return this;
    }

    /**
     * The most errors listed in a repair message. Defaults to
     * {@value OutputValidationInterceptor#DEFAULT_MAX_ERRORS_IN_REPAIR}.
     */
    public Builder maxErrorsInRepair(int maxErrorsInRepair) {
      this.maxErrorsInRepair = Check.atLeast(maxErrorsInRepair, 1, "maxErrorsInRepair");
      return this;
    }

    /**
     * Whether one Markdown code fence around the answer is removed before validating (and, on a blocking
     * call, from the returned text). Defaults to {@value OutputValidationInterceptor#DEFAULT_STRIP_CODE_FENCE}.
     */
    public Builder stripCodeFence(boolean stripCodeFence) {
      this.stripCodeFence = stripCodeFence;
      return this;
    }

    /**
     * The repair message, a format string receiving the schema's name and the error list, in that order.
     * Defaults to {@link OutputValidationInterceptor#DEFAULT_REPAIR_INSTRUCTIONS}.
     */
    public Builder repairInstructions(String repairInstructions) {
      Check.nonBlank(repairInstructions, "repairInstructions");
      Check.that(repairInstructions.split("%s", -1).length == 3,
          "repairInstructions must hold exactly two %s: the schema name, then the errors");
      this.repairInstructions = repairInstructions;
      return this;
    }

    /** Hears each decision as it is made. Defaults to {@link GuardListener#NONE}. */
    public Builder listener(GuardListener listener) {
      this.listener = Check.nonNull(listener, "listener");
      return this;
    }

    public OutputValidationInterceptor build() {
      return new OutputValidationInterceptor(this);
    }
  }
}

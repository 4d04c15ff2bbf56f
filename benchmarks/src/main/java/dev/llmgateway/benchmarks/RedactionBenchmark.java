package dev.llmgateway.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.redaction.RedactionInterceptor;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What PII redaction costs per KB of prompt: a blocking chat call with a 1 KB prompt holding some
 * personal data (an e-mail address, a phone number, a card number, an IBAN, IPv4 and IPv6 addresses),
 * made with raw OkHttp (the baseline), through the gateway without interceptors, and through the
 * gateway with the default {@link RedactionInterceptor}; all against the same loopback server with the
 * same OkHttp client. {@link #redactionOnly1Kb} times the interceptor alone on the same prompt (with a
 * chain that answers at once), so its score is the redaction time in microseconds per KB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedactionBenchmark {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String SYSTEM = "You are a helpful customer care assistant.";
  /** 1024 characters of a support request with personal data in it. */
  static final String PROMPT = kilobyte();

  private static final ChatResponse CANNED = ChatResponse.builder().model("m").provider("mem")
      .message(Message.assistant(LoopbackFixture.ANSWER)).finishReason(FinishReason.STOP)
      .usage(Usage.of(300, 60)).build();

  private LoopbackFixture fixture;
  private LlmGateway plain;
  private LlmGateway redacting;
  private RedactionInterceptor redaction;
  private ChatRequest request;
  private String url;

  static String kilobyte() {
    String text = "Hi, I'm following up on ticket 48213 for our customer Ana Souza "
        + "(ana.souza@example.com.br). She called from +55 21 98765-4321 yesterday and asked us to "
        + "refund the duplicate charge on her card 4111 1111 1111 1111; the original payment went to "
        + "DE89 3704 0044 0532 0130 00 on 2024-05-17. Our logs show the checkout requests came from "
        + "203.0.113.42 and 2001:db8::1, which matches her home network. Please draft a polite reply "
        + "that confirms the refund of EUR 249.90, explains that it will take three to five business "
        + "days to appear, and offers a 10% voucher for the inconvenience. Keep it under 150 words, use "
        + "a friendly but professional tone, and do not mention internal ticket numbers. Also summarise "
        + "in two bullet points what went wrong: the payment service retried after a timeout and the "
        + "idempotency key was not forwarded, so the charge was applied twice. Sign it as the Customer "
        + "Care team and add our support address care@example.com at the end. Thank you so much for "
        + "your help with this one, it is our third complaint about double charges this week.";
    StringBuilder b = new StringBuilder(text);
    while (b.length() < 1024) {
      b.append(" Thanks.");
    }
    return b.substring(0, 1024);
  }

  @Setup(Level.Trial)
  public void setUp() {
    fixture = new LoopbackFixture();
    url = fixture.server.chatCompletionsUrl();
    redaction = RedactionInterceptor.withDefaults();
    plain = gateway(null);
    redacting = gateway(redaction);
    request = ChatRequest.builder().model("openai/fake-model").system(SYSTEM).user(PROMPT).build();
  }

  private LlmGateway gateway(@Nullable Interceptor interceptor) {
    var builder = LlmGateway.builder()
        .discoverProviders(false)
        .sharedResource(OkHttpClient.class, fixture.httpClient)
        .provider(OpenAiChatProvider.builder().baseUrl(fixture.server.baseUrl())
            .httpClient(fixture.httpClient).objectMapper(fixture.objectMapper).build());
    if (interceptor != null) {
      builder.addInterceptor(interceptor);
    }
    return builder.build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plain.close();
    redacting.close();
    fixture.close();
  }

  /** The baseline: the same 1 KB prompt, unredacted, POSTed with raw OkHttp and parsed with Jackson. */
  @Benchmark
  public String baselineRawOkHttp() throws IOException {
    ObjectNode body = fixture.objectMapper.createObjectNode();
    body.put("model", "fake-model");
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM);
    messages.addObject().put("role", "user").put("content", PROMPT);
    Request http = new Request.Builder().url(url)
        .post(RequestBody.create(fixture.objectMapper.writeValueAsBytes(body), JSON)).build();
    try (Response response = fixture.httpClient.newCall(http).execute()) {
      JsonNode json = fixture.objectMapper.readTree(response.body().byteStream());
      return json.path("choices").path(0).path("message").path("content").asText();
    }
  }

  /** The call through the gateway, no interceptors. */
  @Benchmark
  public String gatewayChat() {
    return plain.chat(request).text();
  }

  /** The call through the gateway with the default redaction interceptor. */
  @Benchmark
  public String gatewayChatRedacted() {
    return redacting.chat(request).text();
  }

  /**
   * The interceptor alone on the 1 KB request (detect, replace, and scan the answer for placeholders),
   * with a chain that answers at once: microseconds per KB of prompt.
   */
  @Benchmark
  public ChatResponse redactionOnly1Kb() {
    CallContext context = CallContext.standalone(false);
    return redaction.intercept(request, new Interceptor.Chain() {
      @Override
      public ChatResponse proceed(ChatRequest redacted) {
        return CANNED;
      }

      @Override
      public CallContext context() {
        return context;
      }
    });
  }
}

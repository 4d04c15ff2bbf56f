package dev.llmgateway.provider.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.Usage;
import org.junit.jupiter.api.Test;

class AnthropicUsageTallyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void cacheCountsAreAddedToInputAndKeptApart() throws Exception {
    Usage usage = AnthropicUsageTally.of(JSON.readTree("""
        {"input_tokens":50,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,
         "output_tokens":7,"service_tier":"standard"}"""));
    assertThat(usage).isEqualTo(new Usage(3050, 7, 2000, 1000, 0, false));
  }

  @Test
  void laterCountsReplaceEarlierOnesAndNullsKeepThem() throws Exception {
    AnthropicUsageTally tally = new AnthropicUsageTally();
    assertThat(tally.seen()).isFalse();
    assertThat(tally.toUsage()).isEqualTo(Usage.ZERO);
    tally.merge(JSON.readTree("{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":1}"));
    tally.merge(JSON.readTree("{\"input_tokens\":null,\"output_tokens\":30}"));
    assertThat(tally.seen()).isTrue();
    assertThat(tally.toUsage()).isEqualTo(new Usage(15, 30, 5, 0, 0, false));
  }

  @Test
  void absentUsageIsNull() {
    assertThat(AnthropicUsageTally.of(null)).isNull();
  }
}

package dev.llmgateway.provider.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.spi.SharedResources;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class SharedClientsTest {

  @Test
  void defaultClientHasTheDocumentedTimeouts() {
    OkHttpClient client = SharedClients.newHttpClient();
    assertThat(Duration.ofMillis(client.connectTimeoutMillis())).isEqualTo(SharedClients.DEFAULT_CONNECT_TIMEOUT)
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(Duration.ofMillis(client.readTimeoutMillis())).isEqualTo(SharedClients.DEFAULT_READ_TIMEOUT)
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(Duration.ofMillis(client.writeTimeoutMillis())).isEqualTo(SharedClients.DEFAULT_WRITE_TIMEOUT)
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(client.callTimeoutMillis()).isZero();
    assertThat(client.retryOnConnectionFailure()).isFalse();
  }

  @Test
  void defaultMapperIgnoresUnknownProperties() {
    ObjectMapper mapper = SharedClients.newObjectMapper();
    assertThat(mapper.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isFalse();
  }

  @Test
  void createsDefaultsOnceAndSharesThem() {
    SharedResources resources = new SharedResources();
    OkHttpClient client = SharedClients.httpClient(resources);
    ObjectMapper mapper = SharedClients.objectMapper(resources);
    assertThat(SharedClients.httpClient(resources)).isSameAs(client);
    assertThat(SharedClients.objectMapper(resources)).isSameAs(mapper);
  }

  @Test
  void turnsOffOkHttpsSilentRetriesKeepingPoolAndDispatcher() {
    OkHttpClient host = new OkHttpClient();
    OkHttpClient derived = SharedClients.withoutSilentRetries(host);
    assertThat(derived.retryOnConnectionFailure()).isFalse();
    assertThat(derived.connectionPool()).isSameAs(host.connectionPool());
    assertThat(derived.dispatcher()).isSameAs(host.dispatcher());
    assertThat(SharedClients.withoutSilentRetries(derived)).isSameAs(derived);
  }

  @Test
  void usesTheHostsInstancesWhenPresent() {
    OkHttpClient hostClient = new OkHttpClient();
    ObjectMapper hostMapper = new ObjectMapper();
    SharedResources resources = new SharedResources().put(OkHttpClient.class, hostClient)
        .put(ObjectMapper.class, hostMapper);
    assertThat(SharedClients.httpClient(resources)).isSameAs(hostClient);
    assertThat(SharedClients.objectMapper(resources)).isSameAs(hostMapper);
  }
}

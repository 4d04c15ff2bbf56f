package dev.llmgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.LlmConfigurationException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deployments, groups and routers: defaults as documented, contradictions rejected when built. */
class RoutingConfigurationTest {

  @Test
  void aDeploymentHasTheDocumentedDefaults() {
    Deployment d = Deployment.of("d", "openai/gpt-4o");
    assertThat(d.weight()).isEqualTo(Deployment.DEFAULT_WEIGHT).isEqualTo(1);
    assertThat(d.rpm()).isNull();
    assertThat(d.tpm()).isNull();
    assertThat(d.maxInFlight()).isNull();
    assertThat(d.tags()).isEmpty();
    assertThat(d.contextWindow()).isNull();
    assertThat(d.catalogModel()).isNull();
    assertThat(d.provider()).isEqualTo("openai");
    assertThat(d.model()).isEqualTo("gpt-4o");
  }

  @Test
  void aDeploymentKeepsEverySettingThroughToBuilder() {
    Deployment d = Deployment.builder("eu", "openai-eu/gpt-4o").weight(3).rpm(500L).tpm(100_000L)
        .maxInFlight(8).tag("region", "eu").contextWindow(64_000).catalogModel("openai/gpt-4o").build();
    assertThat(d.toBuilder().build()).isEqualTo(d);
    assertThat(d.tags()).isEqualTo(Map.of("region", "eu"));
    assertThat(Deployment.of("x", "openrouter/meta-llama/llama-3").model()).isEqualTo("meta-llama/llama-3");
  }

  @Test
  void aDeploymentRejectsWhatCannotWork() {
    assertThatThrownBy(() -> Deployment.of("d", "gpt-4o")).isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("provider/model");
    assertThatThrownBy(() -> Deployment.of(" ", "a/b")).isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> Deployment.builder("d", "a/b").weight(-1).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("weight");
    assertThatThrownBy(() -> Deployment.builder("d", "a/b").maxInFlight(0).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("maxInFlight");
    assertThatThrownBy(() -> Deployment.builder("d", "a/b").rpm(0L).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("rpm");
    assertThatThrownBy(() -> Deployment.builder("d", "a/b").catalogModel("nomodel").build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("catalogModel");
  }

  @Test
  void aGroupHasTheDocumentedDefaults() {
    ModelGroup g = ModelGroup.builder("fast").deployment(Deployment.of("a", "a/m")).build();
    assertThat(g.strategy()).isSameAs(ModelGroup.DEFAULT_STRATEGY).isInstanceOf(WeightedRandomStrategy.class);
    assertThat(g.fallbacks()).isEmpty();
    assertThat(g.contextLengthFallbacks()).isEmpty();
    assertThat(g.contentFilterFallbacks()).isEmpty();
    assertThat(g.toBuilder().build()).isEqualTo(g);
  }

  @Test
  void aGroupRejectsWhatCannotWork() {
    assertThatThrownBy(() -> ModelGroup.builder("g").build()).isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("no deployments");
    assertThatThrownBy(() -> ModelGroup.builder("g").deployment(Deployment.of("a", "a/m"))
        .deployment(Deployment.of("a", "b/m")).build()).isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("two deployments with id 'a'");
    assertThatThrownBy(() -> ModelGroup.builder("g").deployment(Deployment.of("a", "a/m")).fallbacks("g")
        .build()).isInstanceOf(LlmConfigurationException.class).hasMessageContaining("itself");
    assertThatThrownBy(() -> ModelGroup.builder("g").deployment(Deployment.of("a", "a/m"))
        .fallbacks("x", "x").build()).isInstanceOf(LlmConfigurationException.class).hasMessageContaining("twice");
  }

  @Test
  void aRouterHasTheDocumentedDefaults() {
    RouterInterceptor router = RouterInterceptor.builder()
        .group(ModelGroup.builder("g").deployment(Deployment.of("a", "a/m")).build()).build();
    assertThat(router.clock()).isSameAs(RouterInterceptor.DEFAULT_CLOCK).isEqualTo(Clock.systemUTC());
    assertThat(router.tokenEstimator()).isSameAs(RouterInterceptor.DEFAULT_TOKEN_ESTIMATOR)
        .isSameAs(TokenEstimator.CHARS_OVER_FOUR);
    assertThat(router.modelCatalog()).isSameAs(RouterInterceptor.DEFAULT_MODEL_CATALOG)
        .isSameAs(ModelCatalog.bundled());
    assertThat(router.health()).isInstanceOfSatisfying(CooldownHealth.class,
        h -> assertThat(h.toString()).isEqualTo(CooldownHealth.create().toString()));
    assertThat(router.stats().clock()).isSameAs(router.clock());
    assertThat(router.groupSelectors()).isEmpty();
  }

  @Test
  void eachRouterGetsItsOwnHealthAndStats() {
    RouterInterceptor.Builder builder = RouterInterceptor.builder()
        .group(ModelGroup.builder("g").deployment(Deployment.of("a", "a/m")).build());
    RouterInterceptor one = builder.build();
    RouterInterceptor two = builder.build();
    assertThat(one.health()).isNotSameAs(two.health());
    assertThat(one.stats()).isNotSameAs(two.stats());
  }

  @Test
  void aRouterRejectsAContradictoryConfiguration() {
    ModelGroup g = ModelGroup.builder("g").deployment(Deployment.of("a", "a/m")).build();
    assertThatThrownBy(() -> RouterInterceptor.builder().build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> RouterInterceptor.builder().group(g).group(g).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("two groups are named 'g'");
    assertThatThrownBy(() -> RouterInterceptor.builder().group(g.toBuilder().fallbacks("missing").build())
        .build()).isInstanceOf(LlmConfigurationException.class).hasMessageContaining("'missing'");
    assertThatThrownBy(() -> RouterInterceptor.builder().group(g)
        .group(ModelGroup.builder("h").deployment(Deployment.of("a", "b/other")).build()).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("deployment id 'a'");
  }
}

package dev.llmgateway.routing.internal;

import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.routing.Deployment;
import org.jspecify.annotations.Nullable;

/** Finds a deployment's entry in the model catalog, under its catalog model or else its target. */
public final class CatalogLookup {
  private CatalogLookup() {}

  public static @Nullable ModelInfo find(ModelCatalog catalog, Deployment deployment) {
    String id = deployment.catalogModel() != null ? deployment.catalogModel() : deployment.target();
    int slash = id.indexOf('/');
    return catalog.find(id.substring(0, slash), id.substring(slash + 1)).orElse(null);
  }

  /** The deployment's own context window, else the catalog's, else null (unknown). */
  public static @Nullable Integer contextWindow(ModelCatalog catalog, Deployment deployment) {
    if (deployment.contextWindow() != null) {
      return deployment.contextWindow();
    }
    ModelInfo info = find(catalog, deployment);
    return info == null ? null : info.contextWindow();
  }
}

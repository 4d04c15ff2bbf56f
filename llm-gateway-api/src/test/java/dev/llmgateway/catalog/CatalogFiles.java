package dev.llmgateway.catalog;

import dev.llmgateway.catalog.internal.CatalogCsvReader;
import java.io.StringReader;

/** Builds small catalog texts for tests. */
final class CatalogFiles {
  static final String HEADER = String.join(",", CatalogCsvReader.COLUMNS);

  /** A valid flat-priced row for {@code provider/model}. */
  static String row(String provider, String model) {
    return provider + "," + model + ",,128_000,16_384,yes,yes,yes,no,2.50,1.25,,10.00,,,,,,,,USD,"
        + "2026-11-26,https://example.com/pricing,test row";
  }

  static ModelCatalog parse(String... lines) {
    return ModelCatalog.parse("test.csv", new StringReader(String.join("\n", lines)));
  }

  private CatalogFiles() {}
}

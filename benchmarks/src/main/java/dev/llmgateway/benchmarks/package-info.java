/**
 * JMH benchmarks. Each one pairs the thing measured with a baseline measured in the same run — a raw
 * OkHttp call plus a Jackson parse against the same loopback server — and {@link
 * dev.llmgateway.benchmarks.RatioReport} prints their ratio, the median over several rounds.
 */
@NullMarked
package dev.llmgateway.benchmarks;

import org.jspecify.annotations.NullMarked;

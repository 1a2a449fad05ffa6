/**
 * Prometheus's alert template language, a subset of Go's {@code text/template}: {@link
 * io.raftwatch.collector.rules.template.GoTemplate} parses and runs a template, {@link
 * io.raftwatch.collector.rules.template.TemplateFunctions} supplies Go's and Prometheus's functions
 * ({@code humanize}, {@code printf}, ...), with Go's number formatting.
 *
 * <p>Used by the rules engine to expand alert labels and annotations with {@code $labels}, {@code
 * $value}, {@code $externalLabels} and {@code $externalURL}. Pure: no I/O, no clock.
 *
 * <p>Known differences from Go/Prometheus: {@code range}, {@code define}, {@code template} and the
 * query functions ({@code query}, {@code first}, {@code label}, {@code value}, {@code sortByLabel})
 * are not supported and fail at parse time; regular expressions are Java's, not RE2; shortest float
 * formatting uses {@link Double#toString}, which in rare cases on Java 17 prints one digit more than
 * Go.
 */
package io.raftwatch.collector.rules.template;

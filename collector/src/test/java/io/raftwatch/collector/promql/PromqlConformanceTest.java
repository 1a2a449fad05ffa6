package io.raftwatch.collector.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.raftwatch.collector.promql.PromqlScript.Eval;
import io.raftwatch.collector.promql.PromqlScript.EvalKind;
import io.raftwatch.collector.promql.PromqlScript.Expected;
import io.raftwatch.collector.promql.PromqlScript.Load;
import io.raftwatch.collector.promql.PromqlScript.SeriesSpec;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every promqltest script under {@code src/test/resources/promql/} on our {@link Engine} over
 * a real {@link SeriesStore}. Each {@code eval} is one test, named by file, line and expression.
 * Values must match exactly (NaN matching NaN): the same expectations pass promtool 2.42 in {@link
 * PromtoolOracleTest}, so exact agreement means bit-for-bit Prometheus results.
 */
class PromqlConformanceTest {
  static final Path SCRIPTS = Path.of("src", "test", "resources", "promql");

  static List<Path> scripts() throws IOException {
    try (Stream<Path> files = Files.list(SCRIPTS)) {
      return files.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicNode> scriptsPassOnOurEngine() throws IOException {
    List<DynamicNode> containers = new ArrayList<>();
    for (Path file : scripts()) {
      PromqlScript script = PromqlScript.read(file);
      containers.add(
          DynamicContainer.dynamicContainer(file.getFileName().toString(), tests(script)));
    }
    return containers.stream();
  }

  private static Stream<DynamicNode> tests(PromqlScript script) {
    // Commands run in order; each eval sees the store as the loads before it left it.
    List<DynamicNode> tests = new ArrayList<>();
    SeriesStore[] store = {newStore()};
    List<Runnable> pending = new ArrayList<>();
    for (PromqlScript.Command c : script.commands()) {
      if (c instanceof PromqlScript.Clear) {
        pending.add(() -> store[0] = newStore());
      } else if (c instanceof Load load) {
        pending.add(() -> load(store[0], load));
      } else if (c instanceof Eval eval) {
        List<Runnable> before = List.copyOf(pending);
        pending.clear();
        String name = script.file().getFileName() + ":" + eval.line() + " " + eval.expr();
        tests.add(
            DynamicTest.dynamicTest(
                name,
                () -> {
                  before.forEach(Runnable::run);
                  check(script, eval, store[0]);
                }));
      }
    }
    return tests.stream();
  }

  static SeriesStore newStore() {
    return new SeriesStore(1_000_000);
  }

  static void load(SeriesStore store, Load load) {
    for (SeriesSpec s : load.series()) {
      SampleBatch batch = new SampleBatch(s.times().length);
      for (int i = 0; i < s.times().length; i++) {
        batch.add(s.labels(), s.times()[i], s.values()[i]);
      }
      try {
        store.append("test", batch);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static void check(PromqlScript script, Eval eval, SeriesStore store) {
    String where = script.file() + ":" + eval.line() + ": " + eval.expr();
    Engine engine = new Engine(store);
    if (eval.kind() == EvalKind.FAIL) {
      try {
        Value v = engine.instantQuery(eval.expr(), Instant.ofEpochMilli(eval.timeMillis()));
        fail(where + ": expected an error, got " + v);
      } catch (PromqlParseException | PromqlEvalException e) {
        if (eval.failMessage() != null) {
          assertThat(e.getMessage()).as(where).isEqualTo(eval.failMessage());
        }
        if (eval.failRegexp() != null) {
          assertThat(e.getMessage()).as(where).matches(eval.failRegexp());
        }
      }
      return;
    }
    Value v = engine.instantQuery(eval.expr(), Instant.ofEpochMilli(eval.timeMillis()));
    List<String> got = new ArrayList<>();
    if (v instanceof Value.Scalar s) {
      got.add(format(null, s.value()));
    } else if (v instanceof Value.Vector vec) {
      for (Sample s : vec.samples()) {
        got.add(format(s.labels(), s.value()));
      }
    } else {
      fail(where + ": unsupported result type " + v.resultType());
    }
    List<String> want = new ArrayList<>();
    for (Expected e : eval.expected()) {
      want.add(format(e.labels(), e.value()));
    }
    if (eval.kind() == EvalKind.UNORDERED) {
      got.sort(Comparator.naturalOrder());
      want.sort(Comparator.naturalOrder());
    }
    assertThat(got).as(where).isEqualTo(want);
  }

  /** One result line, values in full precision so that equality is exact. */
  static String format(Labels labels, double value) {
    String v = Double.isNaN(value) ? "NaN" : Double.toString(value);
    return labels == null ? v : labels + " " + v;
  }
}

package io.raftwatch.raftkv.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExactWriterTest {
  private static final long[] VARINTS = {0, 1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE,
      Long.MAX_VALUE, -1, Long.MIN_VALUE};

  @Test
  void writesVarintsAndByteStringsAsProtobufDoes() throws IOException {
    byte[] bytes = {1, 2, 3};
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    CodedOutputStream protobuf = CodedOutputStream.newInstance(expected);
    for (long v : VARINTS) {
      protobuf.writeUInt64NoTag(v);
    }
    protobuf.writeByteArrayNoTag(bytes);
    protobuf.writeByteArrayNoTag(new byte[0]);
    protobuf.flush();

    byte[] written = ExactWriter.encode(w -> {
      for (long v : VARINTS) {
        w.writeVarint(v);
      }
      w.writeBytes(bytes);
      w.writeBytes(new byte[0]);
    });
    assertThat(written).isEqualTo(expected.toByteArray());
  }

  @Test
  void writesBytesBooleansAndRawBytesInOrder() {
    byte[] written = ExactWriter.encode(w -> {
      w.writeByte(0xAB);
      w.writeBoolean(true);
      w.writeBoolean(false);
      w.writeRaw(new byte[] {7, 8});
    });
    assertThat(written).containsExactly(0xAB, 1, 0, 7, 8);
  }

  @Test
  void refusesWritesThatDifferBetweenCountingAndWriting() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> ExactWriter.encode(w -> {
      if (calls.getAndIncrement() == 0) {
        w.writeVarint(1);
      }
    })).isInstanceOf(IllegalStateException.class).hasMessage("wrote 0 bytes after counting 1");
  }
}

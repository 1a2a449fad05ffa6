package io.raftwatch.raftkv.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExactReaderTest {
  private static final long[] VARINTS = {0, 1, 127, 128, 300, 16_384, Long.MAX_VALUE, -1};

  private static ExactReader reader(byte[] bytes) {
    return new ExactReader(bytes, m -> new IllegalArgumentException("test: " + m));
  }

  @Test
  void readsBackWhatTheWriterWrote() {
    byte[] written = ExactWriter.encode(w -> {
      for (long v : VARINTS) {
        w.writeVarint(v);
      }
      w.writeBoolean(true);
      w.writeBytes(new byte[] {1, 2, 3});
      w.writeNullableBytes(null);
      w.writeNullableBytes(new byte[0]);
      w.writeByte(0xFE);
    });

    ExactReader r = reader(written);
    for (long v : VARINTS) {
      assertThat(r.readVarint()).isEqualTo(v);
    }
    assertThat(r.readBoolean()).isTrue();
    assertThat(r.readBytes()).containsExactly(1, 2, 3);
    assertThat(r.readNullableBytes()).isNull();
    assertThat(r.readNullableBytes()).isEmpty();
    assertThat(r.readByte()).isEqualTo(0xFE);
    assertThat(r.hasMore()).isFalse();
    r.expectEnd();
  }

  @Test
  void everyProblemIsTheCallersErrorAndSaysWhere() {
    assertThatThrownBy(() -> reader(new byte[] {(byte) 0x80}).readVarint())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("test: truncated at offset 1 of 1");
    byte[] eleven = new byte[11];
    Arrays.fill(eleven, (byte) 0x80);
    assertThatThrownBy(() -> reader(eleven).readVarint())
        .hasMessage("test: varint longer than 10 bytes at offset 0");
    assertThatThrownBy(() -> reader(new byte[] {5, 1, 2}).readBytes())
        .hasMessage("test: length 5 at offset 0 exceeds the 2 bytes left");
    assertThatThrownBy(() -> reader(new byte[] {2}).readBoolean())
        .hasMessage("test: bad boolean 2 at offset 0");
    assertThatThrownBy(() -> reader(new byte[] {1, 2}).skip(3))
        .hasMessage("test: length 3 at offset 0 exceeds the 2 bytes left");
    ExactReader trailing = reader(new byte[] {0, 9});
    trailing.readByte();
    assertThatThrownBy(trailing::expectEnd).hasMessage("test: 1 trailing bytes after offset 1");
  }
}

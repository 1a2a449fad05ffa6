package io.raftwatch.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftwatch.raftkv.raft.Message;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  @Test
  void everyMessageTypeRoundTrips() {
    Random random = new Random(42);
    Set<Class<?>> seen = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      Message m = RandomMessages.any(random);
      seen.add(m.getClass());
      Message back = MessageCodec.decode(MessageCodec.encode(m));
      assertThat(RandomMessages.sameMessage(back, m)).as("round trip of %s", m).isTrue();
    }
    assertThat(seen).containsExactlyInAnyOrder(Message.class.getPermittedSubclasses());
  }

  @Test
  void extremeValuesRoundTrip() {
    Message m = new Message.TransferLeader(-1L, Long.MAX_VALUE, Long.MIN_VALUE, 0);
    assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
  }

  @Test
  void nullAndEmptyContextsStayDistinct() {
    Message.Heartbeat none = new Message.Heartbeat(1, 2, 3, 4, null);
    Message.Heartbeat empty = new Message.Heartbeat(1, 2, 3, 4, new byte[0]);
    assertThat(((Message.Heartbeat) MessageCodec.decode(MessageCodec.encode(none))).context())
        .isNull();
    assertThat(((Message.Heartbeat) MessageCodec.decode(MessageCodec.encode(empty))).context())
        .isEmpty();
  }

  @Test
  void everyTruncationIsAClearError() {
    byte[] full = MessageCodec.encode(RandomMessages.append(new Random(7), 3));
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThatThrownBy(() -> MessageCodec.decode(cut))
          .isInstanceOf(MalformedMessageException.class);
    }
  }

  @Test
  void unknownVersionTypeAndTrailingBytesAreRefused() {
    byte[] ok = MessageCodec.encode(new Message.TimeoutNow(1, 2, 3));
    byte[] version = ok.clone();
    version[0] = 9;
    byte[] tag = ok.clone();
    tag[1] = 99;
    byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
    assertThatThrownBy(() -> MessageCodec.decode(version))
        .hasMessage("peer message version 9 is not supported (expected 1)");
    assertThatThrownBy(() -> MessageCodec.decode(tag)).hasMessage("unknown peer message type 99");
    assertThatThrownBy(() -> MessageCodec.decode(trailing))
        .hasMessage("bad peer message: 1 trailing bytes after offset " + ok.length);
  }
}

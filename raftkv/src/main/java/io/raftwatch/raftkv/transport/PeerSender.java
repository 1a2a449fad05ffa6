package io.raftwatch.raftkv.transport;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.raftwatch.raftkv.raft.Message;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to one peer from its own thread: a bounded queue filled by the raft loop, one long-lived
 * client stream of messages, a ping that checks the connection and measures round trips, and
 * exponential backoff after a failure. Snapshots go on a separate call, one at a time, from a
 * short-lived thread so that a multi-megabyte transfer does not hold up heartbeats.
 */
final class PeerSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerSender.class);

  private final long peer;
  private final ManagedChannel channel;
  private final TransportOptions options;
  private final Transport.Feedback feedback;
  private final PeerMetrics metrics;
  private final BlockingQueue<Message> queue;
  private final AtomicBoolean snapshotBusy = new AtomicBoolean();
  private final Thread thread;
  private final Object readiness = new Object();

  private volatile boolean running = true;
  private volatile boolean broken;
  private ClientCallStreamObserver<byte[]> stream;
  private volatile boolean active;

  PeerSender(
      long peer,
      ManagedChannel channel,
      TransportOptions options,
      Transport.Feedback feedback,
      PeerMetrics metrics) {
    this.peer = peer;
    this.channel = channel;
    this.options = options;
    this.feedback = feedback;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    this.thread = new Thread(this::run, "peer-sender-" + PeerMetrics.hex(peer));
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the last connection attempt or ping reached the peer and no failure followed. */
  boolean active() {
    return active;
  }

  /** Called by the raft loop: queue without blocking; on overflow drop and report. */
  void offer(Message m) {
    if (m instanceof Message.InstallSnapshot s) {
      sendSnapshot(s);
    } else if (!queue.offer(m)) {
      metrics.sendFailed(peer);
      feedback.unreachable(peer);
      feedback.dropped(m);
    }
  }

  private void run() {
    long backoffNanos = options.minBackoff().toNanos();
    while (running) {
      try {
        if (broken && stream != null) {
          fail(); // the stream died between writes (peer closed or restarted)
        }
        if (stream == null) {
          if (!connect()) {
            fail();
            dropFor(backoffNanos);
            backoffNanos = Math.min(backoffNanos * 2, options.maxBackoff().toNanos());
            continue;
          }
          backoffNanos = options.minBackoff().toNanos();
        }
        Message m = queue.poll(options.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
          if (!ping()) {
            fail();
          }
        } else {
          write(m);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private boolean connect() {
    broken = false;
    // gRPC's own reconnect backoff grows to minutes; ours (etcd's redial pace) decides instead.
    channel.resetConnectBackoff();
    if (!ping()) {
      return false;
    }
    if (!active) {
      active = true;
      metrics.activated(peer);
    }
    stream =
        (ClientCallStreamObserver<byte[]>)
            ClientCalls.asyncClientStreamingCall(
                channel.newCall(PeerRpc.MESSAGES, CallOptions.DEFAULT), new StreamWatcher());
    return true;
  }

  /** A blocking unary probe, timed for the round-trip histogram. */
  private boolean ping() {
    long start = System.nanoTime();
    try {
      ClientCalls.blockingUnaryCall(
          channel,
          PeerRpc.PING,
          CallOptions.DEFAULT.withDeadlineAfter(
              options.pingTimeout().toMillis(), TimeUnit.MILLISECONDS),
          new byte[0]);
      metrics.roundTrip(peer, (System.nanoTime() - start) / 1e9);
      return true;
    } catch (StatusRuntimeException e) {
      log.debug("peer {} unreachable: {}", PeerMetrics.hex(peer), e.getStatus());
      return false;
    }
  }

  private void write(Message m) throws InterruptedException {
    byte[] frame = MessageCodec.encode(m);
    synchronized (readiness) {
      // Waiting here only delays this peer's sender; the raft loop keeps filling (or overflowing)
      // the bounded queue, so a slow peer costs dropped messages, never a blocked loop.
      while (!stream.isReady() && !broken && running) {
        readiness.wait(options.pingInterval().toMillis());
      }
    }
    if (broken || !running) {
      fail();
      feedback.dropped(m);
      return;
    }
    stream.onNext(frame);
    metrics.sent(peer, frame.length);
  }

  private void fail() {
    if (stream != null) {
      stream.cancel("peer failed", null);
      stream = null;
    }
    if (active) {
      active = false;
      metrics.deactivated(peer);
    }
    metrics.sendFailed(peer);
    feedback.unreachable(peer);
  }

  /** While backing off, what the raft loop queued for this peer cannot be sent: drop it. */
  private void dropFor(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    long left;
    while (running && (left = deadline - System.nanoTime()) > 0) {
      Message m = queue.poll(left, TimeUnit.NANOSECONDS);
      if (m != null) {
        metrics.sendFailed(peer);
        feedback.dropped(m);
      }
    }
  }

  private void sendSnapshot(Message.InstallSnapshot m) {
    if (!snapshotBusy.compareAndSet(false, true)) {
      log.info("snapshot to {} dropped: another is in flight", PeerMetrics.hex(peer));
      feedback.snapshotDelivered(peer, false);
      return;
    }
    Thread t = new Thread(() -> transferSnapshot(m), "peer-snapshot-" + PeerMetrics.hex(peer));
    t.setDaemon(true);
    t.start();
  }

  private void transferSnapshot(Message.InstallSnapshot m) {
    try {
      byte[] frame = MessageCodec.encode(m);
      new SnapshotUpload(channel, options.snapshotTimeout()).send(frame);
      metrics.sent(peer, frame.length);
      feedback.snapshotDelivered(peer, true);
    } catch (StatusRuntimeException e) {
      log.info("snapshot to {} failed: {}", PeerMetrics.hex(peer), e.getStatus());
      metrics.sendFailed(peer);
      feedback.unreachable(peer);
      feedback.snapshotDelivered(peer, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      feedback.snapshotDelivered(peer, false);
    } finally {
      snapshotBusy.set(false);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
    if (stream != null) {
      stream.onCompleted();
    }
  }

  /** Learns of stream failure and flow-control readiness from gRPC's threads. */
  private final class StreamWatcher implements ClientResponseObserver<byte[], byte[]> {
    @Override
    public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
      requestStream.setOnReadyHandler(this::wake);
    }

    @Override
    public void onNext(byte[] value) {}

    @Override
    public void onError(Throwable t) {
      io.grpc.Status status = io.grpc.Status.fromThrowable(t);
      if (status.getCode() == io.grpc.Status.Code.FAILED_PRECONDITION
          && PeerRpc.REMOVED.equals(status.getDescription())) {
        feedback.removedFromCluster(peer);
      }
      broken = true;
      wake();
    }

    @Override
    public void onCompleted() {
      broken = true;
      wake();
    }

    private void wake() {
      synchronized (readiness) {
        readiness.notifyAll();
      }
    }
  }
}

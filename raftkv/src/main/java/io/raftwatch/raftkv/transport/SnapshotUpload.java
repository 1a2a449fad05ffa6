package io.raftwatch.raftkv.transport;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One snapshot transfer: the encoded InstallSnapshot message in {@link PeerRpc#SNAPSHOT_CHUNK}
 * chunks on its own client stream, sent as flow control allows, then a wait for the receiver's
 * acknowledgement. Runs on, and blocks, a snapshot thread of {@link PeerSender}.
 */
final class SnapshotUpload {
  private final ManagedChannel channel;
  private final Duration timeout;

  SnapshotUpload(ManagedChannel channel, Duration timeout) {
    this.channel = channel;
    this.timeout = timeout;
  }

  /** Returns once the peer acknowledged the whole snapshot; throws the call's status otherwise. */
  void send(byte[] frame) throws InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Object ready = new Object();
    ClientCallStreamObserver<byte[]> call =
        (ClientCallStreamObserver<byte[]>)
            ClientCalls.asyncClientStreamingCall(
                channel.newCall(
                    PeerRpc.SNAPSHOT,
                    CallOptions.DEFAULT.withDeadlineAfter(
                        timeout.toMillis(), TimeUnit.MILLISECONDS)),
                new ClientResponseObserver<byte[], byte[]>() {
                  @Override
                  public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
                    requestStream.setOnReadyHandler(() -> wake(ready));
                  }

                  @Override
                  public void onNext(byte[] value) {}

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                    wake(ready);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(null);
                  }
                });
    for (int off = 0; off < frame.length && !done.isDone(); off += PeerRpc.SNAPSHOT_CHUNK) {
      synchronized (ready) {
        while (!call.isReady() && !done.isDone()) {
          ready.wait(100);
        }
      }
      call.onNext(
          Arrays.copyOfRange(frame, off, Math.min(frame.length, off + PeerRpc.SNAPSHOT_CHUNK)));
    }
    call.onCompleted();
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (TimeoutException e) {
      call.cancel("snapshot timed out", null);
      throw Status.DEADLINE_EXCEEDED.withDescription("snapshot timed out").asRuntimeException();
    }
  }

  private static void wake(Object ready) {
    synchronized (ready) {
      ready.notifyAll();
    }
  }
}

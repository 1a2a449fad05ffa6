package io.raftwatch.raftkv.api;

import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import io.raftwatch.raftkv.mvcc.WatchStream;
import java.util.concurrent.CompletableFuture;

/**
 * One client Watch stream: its {@link WatchStream} lives on the raft loop thread (create, cancel,
 * progress and close run there through {@link io.raftwatch.raftkv.server.RaftLoop#onLoop}), and a
 * sender thread of its own takes the stream's responses and writes them to the client. Writes to
 * the client are serialized on {@code out}.
 */
final class WatchSession {
  private final MemberContext member;
  private final StreamObserver<WatchResponse> out;
  private final CompletableFuture<WatchStream> stream;
  private final Thread sender;

  WatchSession(MemberContext member, StreamObserver<WatchResponse> out) {
    this.member = member;
    this.out = out;
    this.stream = member.loop().onLoop(() -> member.applier().openWatchStream());
    this.sender = new Thread(this::sendEvents, "watch-sender");
    sender.setDaemon(true);
    sender.start();
  }

  void create(WatchCreateRequest r) {
    stream.thenAccept(
        s ->
            member
                .loop()
                .onLoop(
                    () -> {
                      long id =
                          s.watch(
                              r.getKey().toByteArray(),
                              r.getRangeEnd().toByteArray(),
                              r.getStartRevision(),
                              0,
                              r.getPrevKv(),
                              WatchService.filters(r, WatchCreateRequest.FilterType.NOPUT),
                              WatchService.filters(r, WatchCreateRequest.FilterType.NODELETE));
                      // Sent from the loop thread before any event of this watcher can be queued.
                      send(
                          WatchResponse.newBuilder()
                              .setHeader(member.applier().header())
                              .setWatchId(id)
                              .setCreated(true)
                              .build());
                      member.applier().syncWatchers();
                      return id;
                    }));
  }

  void cancel(long watchId) {
    stream.thenAccept(
        s ->
            member
                .loop()
                .onLoop(
                    () -> {
                      if (s.cancel(watchId)) {
                        send(
                            WatchResponse.newBuilder()
                                .setHeader(member.applier().header())
                                .setWatchId(watchId)
                                .setCanceled(true)
                                .build());
                      }
                      return null;
                    }));
  }

  void progress() {
    stream.thenAccept(s -> member.loop().onLoop(s::requestProgressAll));
  }

  void close() {
    sender.interrupt();
    stream.thenAccept(
        s ->
            member
                .loop()
                .onLoop(
                    () -> {
                      s.close();
                      return null;
                    }));
  }

  private void sendEvents() {
    try {
      WatchStream s = stream.join();
      while (!Thread.currentThread().isInterrupted()) {
        io.raftwatch.raftkv.mvcc.WatchResponse r = s.take();
        WatchResponse.Builder b =
            WatchResponse.newBuilder()
                .setHeader(member.applier().headerAt(r.revision()))
                .setWatchId(r.watchId())
                .setCanceled(r.canceled())
                .setCompactRevision(r.compactRevision());
        r.events().forEach(e -> b.addEvents(WatchService.toProto(e)));
        send(b.build());
      }
    } catch (InterruptedException e) {
      // The client closed the stream.
    } catch (RuntimeException e) {
      // The member stopped, or the call is already closed: end it if it is not.
      try {
        synchronized (out) {
          out.onError(EtcdErrors.of(e));
        }
      } catch (IllegalStateException alreadyClosed) {
        // Nothing left to tell the client.
      }
    }
  }

  private void send(WatchResponse r) {
    synchronized (out) {
      out.onNext(r);
    }
  }
}

package io.raftwatch.raftkv.api;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import io.raftwatch.raftkv.server.RangeReader;

/** etcd's Watch service: one {@link WatchSession} per client stream. Runs on gRPC's threads. */
final class WatchService extends WatchGrpc.WatchImplBase {
  private final MemberContext member;

  WatchService(MemberContext member) {
    this.member = member;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
    WatchSession session = new WatchSession(member, out);
    return new StreamObserver<>() {
      @Override
      public void onNext(WatchRequest r) {
        switch (r.getRequestUnionCase()) {
          case CREATE_REQUEST -> session.create(r.getCreateRequest());
          case CANCEL_REQUEST -> session.cancel(r.getCancelRequest().getWatchId());
          case PROGRESS_REQUEST -> session.progress();
          default -> {}
        }
      }

      @Override
      public void onError(Throwable t) {
        session.close();
      }

      @Override
      public void onCompleted() {
        session.close();
      }
    };
  }

  static boolean filters(WatchCreateRequest r, WatchCreateRequest.FilterType type) {
    return r.getFiltersList().contains(type);
  }

  static Event toProto(io.raftwatch.raftkv.mvcc.Event e) {
    Event.Builder b =
        Event.newBuilder()
            .setType(
                e.type() == io.raftwatch.raftkv.mvcc.Event.Type.PUT
                    ? Event.EventType.PUT
                    : Event.EventType.DELETE)
            .setKv(RangeReader.toProto(e.kv()));
    if (e.prevKv() != null) {
      b.setPrevKv(RangeReader.toProto(e.prevKv()));
    }
    return b.build();
  }
}

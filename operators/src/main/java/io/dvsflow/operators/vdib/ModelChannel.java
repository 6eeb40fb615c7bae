package io.dvsflow.operators.vdib;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process model loop of the embedded default: the {@link VdibLearnerFunction} publishes each
 * new model snapshot here and the inference operators ({@link LifEncoderFunction}, {@link
 * VdibDecoderFunction}) poll it before every window.
 *
 * <p><b>Why.</b> Flink 2 has no DataStream iterations, so a learner downstream of the encoder
 * cannot feed a stream back into it. On a cluster the loop closes through a compacted Kafka topic
 * that the job reads back as its broadcast model stream; in the embedded default (one JVM, a local
 * MiniCluster) all subtasks share this JVM, so a named in-memory channel does the same job without
 * a broker. A channel only connects operators in the same JVM: give a channel id only when the job
 * runs embedded (the job graph does so).
 *
 * <p><b>Semantics.</b> The channel holds the newest published snapshot only (single-object encoded
 * bytes); {@link #publish} ignores versions not newer than the held one. Readers switch between
 * windows, so the window at which a stream starts using a new version depends on when the learner
 * published it (asynchronous, as with a Kafka model topic); every image names the version it used.
 * After a restore the learner republishes its restored model.
 */
public final class ModelChannel {

    private static final ConcurrentHashMap<String, ModelChannel> CHANNELS =
            new ConcurrentHashMap<>();

    private record Published(long version, byte[] bytes) {}

    private volatile Published latest;

    private ModelChannel() {}

    /** The channel named {@code id} in this JVM, created empty on first use. */
    public static ModelChannel named(String id) {
        return CHANNELS.computeIfAbsent(id, k -> new ModelChannel());
    }

    /** Forgets the channel named {@code id} (tests and finished jobs). */
    public static void release(String id) {
        CHANNELS.remove(id);
    }

    /**
     * Offers a snapshot; kept if its version is newer than the held one.
     *
     * @param version the snapshot's model version
     * @param snapshotBytes single-object encoded {@code ModelSnapshot}
     * @return whether the channel now holds it
     */
    public synchronized boolean publish(long version, byte[] snapshotBytes) {
        Published p = latest;
        if (p != null && p.version >= version) {
            return false;
        }
        latest = new Published(version, snapshotBytes);
        return true;
    }

    /** Version of the held snapshot, or -1 when empty (one volatile read). */
    public long latestVersion() {
        Published p = latest;
        return p == null ? -1 : p.version;
    }

    /** The held snapshot's bytes, or null when empty. */
    public byte[] latestBytes() {
        Published p = latest;
        return p == null ? null : p.bytes;
    }
}

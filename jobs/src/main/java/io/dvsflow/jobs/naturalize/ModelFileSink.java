package io.dvsflow.jobs.naturalize;

import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.schemas.avro.ModelSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes each learned model version (single-object encoded snapshot) as an Avro container file
 * {@code DIR/model-v<version, 8 digits>.avro} ({@link ModelSnapshots#save}, atomic move), the model
 * output of the embedded default. A version written again after a restore replaces its file with
 * the same content, so the folder ends up the same as after an uninterrupted run.
 */
public final class ModelFileSink implements Sink<byte[]> {

    private static final long serialVersionUID = 1L;

    private final String dir;

    /** A sink writing into {@code dir} (created when missing). */
    public ModelFileSink(String dir) {
        this.dir = dir;
    }

    /** The file of version {@code version} in {@code dir}. */
    public static Path fileFor(Path dir, long version) {
        return dir.resolve(String.format(Locale.ROOT, "model-v%08d.avro", version));
    }

    @Override
    public SinkWriter<byte[]> createWriter(WriterInitContext context) throws IOException {
        Path out = Path.of(dir);
        Files.createDirectories(out);
        return new SinkWriter<>() {
            @Override
            public void write(byte[] bytes, Context ctx) throws IOException {
                ModelSnapshot s = ModelSnapshots.fromBytes(bytes);
                ModelSnapshots.save(s, fileFor(out, s.getVersion()));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}

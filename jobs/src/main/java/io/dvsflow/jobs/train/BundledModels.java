package io.dvsflow.jobs.train;

import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Models shipped inside the jobs jar, produced by the project's own trainer (commands in
 * docs/results.md).
 */
public final class BundledModels {

    /** Resource of the emulated MNIST-DVS VDIB model (dvs encoding, 26x26 crop at (51, 51)). */
    public static final String MNIST_DVS = "/io/dvsflow/jobs/models/mnist-dvs-vdib.avro";

    private BundledModels() {}

    /** The bundled MNIST-DVS naturalizer, ready for inference. */
    public static VdibModel mnistDvs() {
        try (InputStream in = BundledModels.class.getResourceAsStream(MNIST_DVS)) {
            if (in == null) {
                throw new IllegalStateException("the bundled model " + MNIST_DVS + " is missing");
            }
            Path tmp = Files.createTempFile("dvsflow-model", ".avro");
            try {
                Files.write(tmp, in.readAllBytes());
                return VdibModel.fromSnapshot(ModelSnapshots.load(tmp));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.dvsflow.jobs.train;

import io.dvsflow.models.classifier.LeNet5Classifier;
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

    /**
     * Resource of the LeNet-5 digit classifier that scores decoded images (trained by {@code
     * dvsflow train classifier} on the real MNIST train split: 97.40 % on the 2,000 test digits).
     */
    public static final String LENET5 = "/io/dvsflow/jobs/models/lenet5-mnist.avro";

    private BundledModels() {}

    /** The bundled MNIST-DVS naturalizer, ready for inference. */
    public static VdibModel mnistDvs() {
        return VdibModel.fromSnapshot(load(MNIST_DVS));
    }

    /** The bundled LeNet-5 digit classifier. */
    public static LeNet5Classifier lenet5() {
        return LeNet5Classifier.fromSnapshot(load(LENET5));
    }

    private static io.dvsflow.schemas.avro.ModelSnapshot load(String resource) {
        try (InputStream in = BundledModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundled model " + resource + " is missing");
            }
            Path tmp = Files.createTempFile("dvsflow-model", ".avro");
            try {
                Files.write(tmp, in.readAllBytes());
                return ModelSnapshots.load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

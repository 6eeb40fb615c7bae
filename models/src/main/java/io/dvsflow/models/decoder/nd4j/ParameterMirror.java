package io.dvsflow.models.decoder.nd4j;

import io.dvsflow.models.snapshot.NamedTensor;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Native copies of a decoder's parameters, shared by the decoder and all its replicas. The {@code
 * float[]} arrays of the parameters stay the master copy (optimisers and snapshots write them); a
 * version counter, bumped by {@link #changed()}, tells {@link #current()} to copy them again. The
 * copy therefore happens once per optimiser step, on the first forward pass after it, whichever
 * replica runs it.
 */
final class ParameterMirror {
    private final List<NamedTensor> values;
    private final AtomicLong version = new AtomicLong();
    private final INDArray[] arrays;
    private long copiedVersion = -1;
    private long copies;

    ParameterMirror(List<NamedTensor> values) {
        this.values = List.copyOf(values);
        this.arrays = new INDArray[values.size()];
        for (int i = 0; i < arrays.length; i++) {
            int[] shape = values.get(i).shape();
            long[] s = new long[shape.length];
            for (int d = 0; d < shape.length; d++) {
                s[d] = shape[d];
            }
            arrays[i] = Nd4j.create(DataType.FLOAT, s, 'c');
        }
    }

    /** Marks the master arrays as changed. */
    void changed() {
        version.incrementAndGet();
    }

    /** The mirrors, re-copied from the master arrays if they changed since the last copy. */
    synchronized INDArray[] current() {
        long v = version.get();
        if (v != copiedVersion) {
            for (int i = 0; i < arrays.length; i++) {
                float[] src = values.get(i).data();
                arrays[i].data().asNioFloat().put(src, 0, src.length);
            }
            copiedVersion = v;
            copies++;
        }
        return arrays;
    }

    /** How many times the mirrors were copied (for tests of the refresh policy). */
    synchronized long copies() {
        return copies;
    }
}

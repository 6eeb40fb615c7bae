package io.dvsflow.benchmarks;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode throughput per format, from memory, one thread.
 *
 * <p>Inputs: the real samples in {@code ../shared/data/real} for EVT 2.0, EVT 3.0, AEDAT 4.0, DAT,
 * N-MNIST and AEDAT 2.0 (system property {@code dvsflow.real} overrides the folder); AEDAT 3.1 and
 * the AEDAT 4.0 ZSTD/uncompressed variants are written by dvsflow's writers from one million seeded
 * random events. Each invocation decodes the whole input; the score is invocations per second, so
 * events/s = score x {@code events} (printed at setup). {@link #wordSum} is the memory floor: a
 * plain 32-bit sum over the EVT 2.0 bytes.
 *
 * <pre>{@code
 * mvn -B -q package -pl benchmarks -am -DskipTests -DskipBenchJar=false
 * java -jar benchmarks/target/benchmarks.jar DecodeBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecodeBenchmark {

    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    @Param({
        "evt2:expelliarmus_evt2_sample.raw",
        "evt3:expelliarmus_evt3_sample.raw",
        "aedat4:tonic_sample.aedat4",
        "dat:tonic_sample_ncars.dat",
        "aedat2:mnistdvs_mnist_0_scale04_0001.aedat",
        "nmnist:tonic_sample_nmnist.bin",
        "aedat3:generated",
        "aedat4:generated-lz4",
        "aedat4:generated-zstd",
    })
    public String input;

    private byte[] bytes;
    private EventFormat format;
    private EventPacket packet;
    private byte[] evt2Bytes;

    @Setup(Level.Trial)
    public void load() throws IOException {
        String[] parts = input.split(":", 2);
        format = EventFormat.fromShortName(parts[0]);
        Path real = Path.of(System.getProperty("dvsflow.real", "../shared/data/real"));
        if (parts[1].startsWith("generated")) {
            bytes = generate(format, parts[1]);
        } else {
            Path file = real.resolve(parts[1]);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(
                        "real sample "
                                + file
                                + " is absent; run from the repository root"
                                + " with ../shared beside it or set -Ddvsflow.real=DIR");
            }
            bytes = Files.readAllBytes(file);
        }
        Path evt2 = real.resolve("expelliarmus_evt2_sample.raw");
        evt2Bytes = Files.isRegularFile(evt2) ? Files.readAllBytes(evt2) : bytes;
        packet = new EventPacket("bench", 0, 0, EventPacket.DEFAULT_CAPACITY);
        System.err.printf(
                "%s: %d bytes, %d events per invocation%n", input, bytes.length, decodeAll(null));
    }

    private static byte[] generate(EventFormat format, String variant) throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        EventPacket events = new EventPacket("gen", 346, 260, 1_000_000);
        long t = 0;
        for (int i = 0; i < 1_000_000; i++) {
            t += r.nextInt(3);
            events.add(t, r.nextInt(346), r.nextInt(260), r.nextInt(2));
        }
        WriterOptions.Compression c =
                variant.endsWith("lz4")
                        ? WriterOptions.Compression.LZ4
                        : variant.endsWith("zstd")
                                ? WriterOptions.Compression.ZSTD
                                : WriterOptions.Compression.NONE;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventWriter w =
                EventFormats.writer(
                        out,
                        format,
                        WriterOptions.of(346, 260)
                                .withDevice("DAVIS346")
                                .withCompression(c)
                                .withEventsPerPacket(8192))) {
            w.write(events);
        }
        return out.toByteArray();
    }

    private long decodeAll(Blackhole bh) throws IOException {
        long n = 0;
        try (EventReader reader =
                EventFormats.open(
                        new ByteArrayInputStream(bytes), input, format, ReaderOptions.defaults())) {
            while (reader.read(packet)) {
                n += packet.size();
                if (bh != null) {
                    bh.consume(packet.timestamps()[packet.size() - 1]);
                }
            }
        }
        return n;
    }

    /** Decodes the whole input once. */
    @Benchmark
    public long decode(Blackhole bh) throws IOException {
        return decodeAll(bh);
    }

    /** The memory floor: a 32-bit word sum over the EVT 2.0 sample's bytes. */
    @Benchmark
    public long wordSum() {
        byte[] b = evt2Bytes;
        long s = 0;
        int n = b.length & ~3;
        for (int i = 0; i < n; i += 4) {
            s += (int) INT_LE.get(b, i);
        }
        return s;
    }
}

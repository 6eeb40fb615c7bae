package io.dvsflow.connectors.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The header of an emulated MNIST-DVS recording's sidecar ({@code .emulation.csv}, format in {@link
 * MnistDvsEmulation}): label, scale, seed, split and the source digit. The path table after the
 * header is not read.
 *
 * <p>Bounds: only the first {@link #MAX_HEADER_BYTES} bytes are read; the {@code target} must hold
 * exactly 784 bytes (1568 hex digits). A sidecar without a {@code split} line (written before the
 * line existed) gives {@link DatasetSplit#UNSPLIT}.
 *
 * @param label the digit class
 * @param scale MNIST-DVS scale (4, 8, 16)
 * @param seed seed of the path and the emulator
 * @param split the split of the real digits the source digit came from
 * @param target the source 28 x 28 digit, row-major unsigned bytes
 */
public record MnistDvsSidecar(int label, int scale, long seed, DatasetSplit split, byte[] target) {

    /** Most bytes of a sidecar read to find the header (the header is about 1.7 KB). */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final String MAGIC = "# dvsflow MNIST-DVS emulation";

    /**
     * Reads a sidecar's header.
     *
     * @throws IOException naming the file and the line when the header is missing or malformed
     */
    public static MnistDvsSidecar read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAX_HEADER_BYTES);
        }
        String[] lines = new String(head, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length == 0 || !lines[0].startsWith(MAGIC)) {
            throw new IOException(file + ": line 1: not a dvsflow MNIST-DVS emulation sidecar");
        }
        int label = -1;
        int scale = -1;
        long seed = 0;
        DatasetSplit split = DatasetSplit.UNSPLIT;
        byte[] target = null;
        for (int n = 1; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.startsWith("t_us,")) {
                break;
            }
            int comma = line.indexOf(',');
            if (comma < 0) {
                continue;
            }
            String key = line.substring(0, comma);
            String value = line.substring(comma + 1);
            try {
                switch (key) {
                    case "label" -> label = Integer.parseInt(value);
                    case "scale" -> scale = Integer.parseInt(value);
                    case "seed" -> seed = Long.parseLong(value);
                    case "split" -> split = DatasetSplit.parse(value);
                    case "target" -> target = hex(value);
                    default -> {
                        // other keys (size, sensor, orientation) are informative only
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        file + ": line " + (n + 1) + ": bad " + key + " (" + e.getMessage() + ")",
                        e);
            }
        }
        if (label < 0 || label > 9 || target == null) {
            throw new IOException(file + ": the sidecar lacks a label 0..9 or a target");
        }
        return new MnistDvsSidecar(label, scale, seed, split, target);
    }

    private static byte[] hex(String s) {
        int n = MnistDigits.SIDE * MnistDigits.SIDE;
        if (s.length() != 2 * n) {
            throw new IllegalArgumentException(
                    "expected " + 2 * n + " hex digits, found " + s.length());
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex digit at " + 2 * i);
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}

package io.dvsflow.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metrics of a run from its {@code summary.json}: a JSON object whose values are numbers,
 * strings, booleans or nested objects (flattened to dotted keys, e.g. {@code {"latency": {"p50_ms":
 * 12}}} gives {@code latency.p50_ms = 12}; arrays are shown as JSON text).
 *
 * <p>Keys are sorted into tables by name (case-insensitive, first match wins): image quality
 * ({@code mse}, {@code psnr}, {@code ssim}), classifier ({@code accuracy}, {@code acc}), throughput
 * ({@code throughput}, {@code per_s}, {@code _per_}), latency ({@code latency}, {@code p50}, {@code
 * p99}), and the rest under run. Numbers are shown with up to 6 significant digits. Files larger
 * than {@value #MAX_BYTES} bytes are refused.
 */
public record RunSummary(Map<String, Map<String, String>> tables) {

    /** Largest summary read (bytes). */
    public static final long MAX_BYTES = 4L << 20;

    /** Table titles in page order. */
    public static final List<String> TABLES =
            List.of("Image quality", "Classifier", "Throughput", "Latency", "Run");

    /** Reads {@code summary.json}. */
    public static RunSummary read(Path json) throws IOException {
        long size = Files.size(json);
        if (size > MAX_BYTES) {
            throw new IOException(
                    json
                            + ": "
                            + size
                            + " bytes is more than the limit of "
                            + MAX_BYTES
                            + " bytes");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(json + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(json + ": expected a JSON object of metrics");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", root, flat);
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        for (String t : TABLES) {
            tables.put(t, new LinkedHashMap<>());
        }
        for (Map.Entry<String, String> e : flat.entrySet()) {
            tables.get(tableOf(e.getKey())).put(e.getKey(), e.getValue());
        }
        tables.values().removeIf(Map::isEmpty);
        return new RunSummary(tables);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(
                        prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                        e.getValue(),
                        out);
            }
        } else if (node.isNumber()) {
            out.put(prefix, number(node.doubleValue(), node.isIntegralNumber()));
        } else if (node.isTextual()) {
            out.put(prefix, node.textValue());
        } else {
            out.put(prefix, node.toString());
        }
    }

    static String number(double v, boolean integral) {
        if (integral && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** Which table a key belongs to. */
    static String tableOf(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.contains("mse") || k.contains("psnr") || k.contains("ssim")) {
            return "Image quality";
        }
        if (k.contains("accuracy") || k.matches("(.*[._])?acc([._].*)?")) {
            return "Classifier";
        }
        if (k.contains("throughput") || k.contains("per_s") || k.contains("_per_")) {
            return "Throughput";
        }
        if (k.contains("latency") || k.contains("p50") || k.contains("p99")) {
            return "Latency";
        }
        return "Run";
    }

    /** Number of metrics over all tables. */
    public int size() {
        int n = 0;
        for (Map<String, String> t : tables.values()) {
            n += t.size();
        }
        return n;
    }

    /** The table titles present, in page order. */
    public List<String> titles() {
        return new ArrayList<>(tables.keySet());
    }
}

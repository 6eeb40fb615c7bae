package io.dvsflow.jobs.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A CSV log of a training or evaluation run, read as numeric columns over one abscissa.
 *
 * <p>Format: a header line of comma-separated column names, then one line per record. The abscissa
 * is the first column named {@code step}, {@code epoch}, {@code iteration}, {@code iter}, {@code
 * batch} or {@code samples} (case-insensitive); without one, the record number ({@code row}, from
 * 0). Every other column with at least one number is a series, e.g. {@code
 * step,loss,val_loss,psnr,ssim,accuracy,events_per_s}; cells that are empty or not numbers are NaN
 * (a gap in the curve); columns without any number (e.g. timestamps) are ignored.
 *
 * <p>Bounds: files larger than {@value #MAX_BYTES} bytes are refused; at most {@value #MAX_ROWS}
 * records (the rest are ignored and {@link #truncated()} is set) and {@value #MAX_COLUMNS} columns
 * are read.
 */
public record TrainingLog(
        String xName, double[] x, List<String> names, List<double[]> series, boolean truncated) {

    /** Largest CSV file read (bytes). */
    public static final long MAX_BYTES = 64L << 20;

    /** Most records read. */
    public static final int MAX_ROWS = 200_000;

    /** Most columns read. */
    public static final int MAX_COLUMNS = 64;

    private static final Set<String> X_NAMES =
            Set.of("step", "epoch", "iteration", "iter", "batch", "samples");

    /** Reads a CSV log. */
    public static TrainingLog read(Path csv) throws IOException {
        long size = Files.size(csv);
        if (size > MAX_BYTES) {
            throw new IOException(
                    csv + ": " + size + " bytes is more than the limit of " + MAX_BYTES + " bytes");
        }
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || header.isBlank()) {
                throw new IOException(csv + ": no header line (column names)");
            }
            String[] names = header.strip().split(",", -1);
            int cols = Math.min(names.length, MAX_COLUMNS);
            int xCol = -1;
            for (int c = 0; c < cols; c++) {
                names[c] = names[c].strip();
                if (xCol < 0 && X_NAMES.contains(names[c].toLowerCase(Locale.ROOT))) {
                    xCol = c;
                }
            }
            List<double[]> rows = new ArrayList<>();
            boolean truncated = false;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                if (rows.size() >= MAX_ROWS) {
                    truncated = true;
                    break;
                }
                String[] cells = line.split(",", -1);
                double[] row = new double[cols];
                for (int c = 0; c < cols; c++) {
                    row[c] = c < cells.length ? parse(cells[c]) : Double.NaN;
                }
                rows.add(row);
            }
            double[] x = new double[rows.size()];
            for (int r = 0; r < x.length; r++) {
                x[r] = xCol >= 0 ? rows.get(r)[xCol] : r;
            }
            List<String> seriesNames = new ArrayList<>();
            List<double[]> series = new ArrayList<>();
            for (int c = 0; c < cols; c++) {
                if (c == xCol) {
                    continue;
                }
                double[] v = new double[rows.size()];
                boolean any = false;
                for (int r = 0; r < v.length; r++) {
                    v[r] = rows.get(r)[c];
                    any |= Double.isFinite(v[r]);
                }
                if (any) {
                    seriesNames.add(names[c].isEmpty() ? "column " + (c + 1) : names[c]);
                    series.add(v);
                }
            }
            return new TrainingLog(
                    xCol >= 0 ? names[xCol] : "row",
                    x,
                    List.copyOf(seriesNames),
                    List.copyOf(series),
                    truncated);
        }
    }

    private static double parse(String cell) {
        String s = cell.strip();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}

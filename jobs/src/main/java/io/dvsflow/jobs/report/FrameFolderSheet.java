package io.dvsflow.jobs.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A contact sheet of a folder of frames as {@code PngFrameSink} writes them ({@code
 * DIR/<stream>/<kind>_<windowStartUs>.png}): one row per stream (at most {@code maxRows}, sorted by
 * name), {@code columns} frames per row taken evenly across the stream's time (first and last
 * included), so a person sees how each stream's image develops.
 */
public final class FrameFolderSheet {

    private FrameFolderSheet() {}

    /**
     * Writes the sheet as PNG.
     *
     * @return the number of rows, 0 when the folder holds no frames (no file is written then)
     */
    public static int write(Path framesDir, Path png, int columns, int maxRows, int cellSize)
            throws IOException {
        if (columns < 1 || maxRows < 1 || cellSize < 8) {
            throw new IllegalArgumentException("columns, rows >= 1 and cells >= 8 px required");
        }
        List<Path> streams;
        try (Stream<Path> s = Files.list(framesDir)) {
            streams = s.filter(Files::isDirectory).sorted().limit(maxRows).toList();
        }
        List<String> titles = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            titles.add(c == 0 ? "first" : c == columns - 1 ? "last" : "");
        }
        ContactSheet sheet = new ContactSheet(titles, cellSize, cellSize, 200);
        for (Path stream : streams) {
            List<Path> frames;
            try (Stream<Path> s = Files.list(stream)) {
                frames = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            }
            if (frames.isEmpty()) {
                continue;
            }
            List<BufferedImage> cells = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                int index =
                        columns == 1
                                ? frames.size() - 1
                                : (int)
                                        Math.round(
                                                c * (frames.size() - 1) / (double) (columns - 1));
                cells.add(ImageIO.read(frames.get(index).toFile()));
            }
            sheet.addRow(stream.getFileName().toString(), cells);
        }
        if (sheet.rowCount() == 0) {
            return 0;
        }
        Files.write(png, sheet.png());
        return sheet.rowCount();
    }
}

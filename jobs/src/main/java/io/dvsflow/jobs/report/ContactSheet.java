package io.dvsflow.jobs.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Rows of pictures composed into one image: a header band with one title per column, then one row
 * per entry, each with a label at the left and one cell per column.
 *
 * <pre>{@code
 * ContactSheet sheet = new ContactSheet(List.of("events", "vdib", "target"), 128, 128, 100);
 * sheet.addRow("t = 0.050 s", List.of(eventsImage, vdibImage, targetImage));
 * byte[] png = sheet.png();
 * }</pre>
 *
 * <p>Layout (pixels): width {@code = labelWidth + PAD + columns * (cellWidth + PAD)}, height {@code
 * = HEADER_HEIGHT + PAD + rows * (cellHeight + PAD)}; cell {@code (r, c)} has its top-left corner
 * at {@code x = labelWidth + PAD + c * (cellWidth + PAD)}, {@code y = HEADER_HEIGHT + PAD + r *
 * (cellHeight + PAD)}. Each picture is scaled to fit its cell keeping its aspect ratio (nearest
 * neighbour when enlarging, so event pixels stay crisp; bilinear when shrinking) and centred; a
 * missing picture ({@code null}) leaves the cell dark grey.
 */
public final class ContactSheet {

    /** Gap between cells and around the sheet (pixels). */
    public static final int PAD = 4;

    /** Height of the column-title band (pixels). */
    public static final int HEADER_HEIGHT = 22;

    /** Largest sheet, in pixels (4 bytes each). */
    public static final long MAX_PIXELS = 64L << 20;

    static final Color BACKGROUND = new Color(0x20, 0x22, 0x26);
    static final Color EMPTY_CELL = new Color(0x3a, 0x3d, 0x44);

    private final List<String> columns;
    private final int cellWidth;
    private final int cellHeight;
    private final int labelWidth;
    private final List<String> labels = new ArrayList<>();
    private final List<List<BufferedImage>> rows = new ArrayList<>();

    /**
     * @param columns column titles (at least one)
     * @param cellWidth cell width in pixels
     * @param cellHeight cell height in pixels
     * @param labelWidth width of the row-label band (0 for none)
     */
    public ContactSheet(List<String> columns, int cellWidth, int cellHeight, int labelWidth) {
        if (columns.isEmpty() || cellWidth < 1 || cellHeight < 1 || labelWidth < 0) {
            throw new IllegalArgumentException(
                    "a contact sheet needs at least one column, cells of at least 1 x 1 pixel and"
                            + " a label width of at least 0");
        }
        this.columns = List.copyOf(columns);
        this.cellWidth = cellWidth;
        this.cellHeight = cellHeight;
        this.labelWidth = labelWidth;
    }

    /**
     * Adds a row.
     *
     * @param cells one picture per column; {@code null} for a missing one
     */
    public ContactSheet addRow(String label, List<BufferedImage> cells) {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException(
                    "a row needs "
                            + columns.size()
                            + " cells (one per column), got "
                            + cells.size());
        }
        labels.add(Objects.requireNonNull(label, "label"));
        rows.add(new ArrayList<>(cells));
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    public int columnCount() {
        return columns.size();
    }

    /** Sheet width for the given layout. */
    public static int width(int columns, int cellWidth, int labelWidth) {
        return labelWidth + PAD + columns * (cellWidth + PAD);
    }

    /** Sheet height for the given layout. */
    public static int height(int rows, int cellHeight) {
        return HEADER_HEIGHT + PAD + rows * (cellHeight + PAD);
    }

    /** The rectangle of cell {@code (row, column)}. */
    public Rectangle cell(int row, int column) {
        return new Rectangle(
                labelWidth + PAD + column * (cellWidth + PAD),
                HEADER_HEIGHT + PAD + row * (cellHeight + PAD),
                cellWidth,
                cellHeight);
    }

    /** Draws the sheet. */
    public BufferedImage render() {
        int w = width(columns.size(), cellWidth, labelWidth);
        int h = height(rows.size(), cellHeight);
        if ((long) w * h > MAX_PIXELS) {
            throw new IllegalArgumentException(
                    "a contact sheet of "
                            + w
                            + " x "
                            + h
                            + " pixels is larger than the limit of "
                            + MAX_PIXELS
                            + " pixels; use fewer rows or smaller cells");
        }
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.LIGHT_GRAY);
            for (int c = 0; c < columns.size(); c++) {
                Rectangle r = cell(0, c);
                Text.drawCentred(g, columns.get(c), r.x + r.width / 2, HEADER_HEIGHT - 6, 13);
            }
            for (int row = 0; row < rows.size(); row++) {
                Rectangle first = cell(row, 0);
                if (labelWidth > 0) {
                    g.setColor(Color.LIGHT_GRAY);
                    Text.draw(g, labels.get(row), PAD, first.y + first.height / 2 + 4, 12);
                }
                for (int c = 0; c < columns.size(); c++) {
                    draw(g, rows.get(row).get(c), cell(row, c));
                }
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    private static void draw(Graphics2D g, BufferedImage img, Rectangle r) {
        if (img == null) {
            g.setColor(EMPTY_CELL);
            g.fillRect(r.x, r.y, r.width, r.height);
            return;
        }
        double scale =
                Math.min((double) r.width / img.getWidth(), (double) r.height / img.getHeight());
        int dw = Math.max(1, (int) Math.round(img.getWidth() * scale));
        int dh = Math.max(1, (int) Math.round(img.getHeight() * scale));
        g.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION,
                scale >= 1
                        ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                        : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, r.x + (r.width - dw) / 2, r.y + (r.height - dh) / 2, dw, dh, null);
    }

    /** PNG bytes of {@link #render()}. */
    public byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

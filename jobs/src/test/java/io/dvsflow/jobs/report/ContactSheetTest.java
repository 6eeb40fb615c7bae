package io.dvsflow.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ContactSheetTest {

    private static BufferedImage solid(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, c.getRGB());
            }
        }
        return img;
    }

    @Test
    void layoutFollowsTheDocumentedFormula() throws Exception {
        // 2 columns of 20 x 10 cells, 3 rows, no label band, PAD 4, header 22:
        // width = 0 + 4 + 2 * (20 + 4) = 52; height = 22 + 4 + 3 * (10 + 4) = 68
        ContactSheet sheet = new ContactSheet(List.of("events", "vdib"), 20, 10, 0);
        BufferedImage red = solid(10, 5, Color.RED); // fits 20 x 10 at scale 2: fills the cell
        BufferedImage tall = solid(5, 10, Color.BLUE); // fits at scale 1: 5 x 10, centred
        sheet.addRow("a", Arrays.asList(red, null));
        sheet.addRow("b", Arrays.asList(tall, red));
        sheet.addRow("c", Arrays.asList(null, null));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(sheet.png()));
        assertThat(img.getWidth()).isEqualTo(52);
        assertThat(img.getHeight()).isEqualTo(68);
        assertThat(ContactSheet.width(2, 20, 0)).isEqualTo(52);
        assertThat(ContactSheet.height(3, 10)).isEqualTo(68);

        // cell (1, 1): x = 0 + 4 + 1 * 24 = 28, y = 22 + 4 + 1 * 14 = 40
        assertThat(sheet.cell(1, 1)).isEqualTo(new Rectangle(28, 40, 20, 10));

        // cell (0, 0) at (4, 26): all red, corner to corner
        assertThat(img.getRGB(4, 26)).isEqualTo(Color.RED.getRGB());
        assertThat(img.getRGB(4 + 19, 26 + 9)).isEqualTo(Color.RED.getRGB());
        // cell (0, 1) is missing: the empty-cell grey
        assertThat(img.getRGB(28 + 10, 26 + 5)).isEqualTo(ContactSheet.EMPTY_CELL.getRGB());
        // cell (1, 0) at (4, 40): the 5-wide picture starts at 4 + (20 - 5) / 2 = 11
        assertThat(img.getRGB(11, 40)).isEqualTo(Color.BLUE.getRGB());
        assertThat(img.getRGB(15, 49)).isEqualTo(Color.BLUE.getRGB());
        assertThat(img.getRGB(10, 40)).isEqualTo(ContactSheet.BACKGROUND.getRGB());
        assertThat(img.getRGB(16, 40)).isEqualTo(ContactSheet.BACKGROUND.getRGB());
        // the gap between columns is background
        assertThat(img.getRGB(25, 30)).isEqualTo(ContactSheet.BACKGROUND.getRGB());
    }

    @Test
    void rowsMustHaveOneCellPerColumn() {
        ContactSheet sheet = new ContactSheet(List.of("a", "b"), 8, 8, 10);
        assertThatThrownBy(() -> sheet.addRow("x", List.of(solid(1, 1, Color.RED))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 2 cells");
    }

    @Test
    void hugeSheetsAreRefusedBeforeAllocation() {
        ContactSheet sheet = new ContactSheet(List.of("a"), 20_000, 20_000, 0);
        sheet.addRow("x", Arrays.asList((BufferedImage) null));
        assertThatThrownBy(sheet::render)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("larger than the limit");
    }
}

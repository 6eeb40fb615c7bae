package io.dvsflow.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameFolderSheetTest {

    private static void frame(Path dir, String stream, long t, int grey) throws Exception {
        Path f = dir.resolve(stream).resolve(String.format("highpass_%013d.png", t));
        Files.createDirectories(f.getParent());
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
            }
        }
        ImageIO.write(img, "png", f.toFile());
    }

    @Test
    void oneRowPerStreamWithFramesEvenlyAcrossTime(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 5; i++) {
            frame(dir, "a", i * 50_000L, 40 * i); // greys 0, 40, 80, 120, 160
        }
        frame(dir, "b", 0, 200);
        Path png = dir.resolve("sheet.png");

        int rows = FrameFolderSheet.write(dir, png, 3, 10, 32);

        assertThat(rows).isEqualTo(2);
        BufferedImage sheet = ImageIO.read(png.toFile());
        assertThat(sheet.getWidth()).isEqualTo(ContactSheet.width(3, 32, 200));
        assertThat(sheet.getHeight()).isEqualTo(ContactSheet.height(2, 32));
        // row a, columns 0, 1, 2 hold frames 0, 2, 4 (round(c * 4 / 2)): greys 0, 80, 160
        ContactSheet layout = new ContactSheet(java.util.List.of("", "", ""), 32, 32, 200);
        for (int c = 0; c < 3; c++) {
            java.awt.Rectangle r = layout.cell(0, c);
            int rgb = sheet.getRGB(r.x + r.width / 2, r.y + r.height / 2) & 0xFF;
            assertThat(rgb).as("column %d", c).isEqualTo(80 * c);
        }
    }

    @Test
    void anEmptyFolderWritesNothing(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sheet.png");
        assertThat(FrameFolderSheet.write(dir, png, 3, 10, 32)).isZero();
        assertThat(png).doesNotExist();
    }
}

package io.dvsflow.jobs.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Aedat4NetworkInputTest {

    /** "#!AER-DAT4.0\r\n" spelled out: '#'=0x23 '!'=0x21 ... '\r'=0x0D '\n'=0x0A, 14 bytes. */
    private static final byte[] VERSION = {
        0x23, 0x21, 0x41, 0x45, 0x52, 0x2D, 0x44, 0x41, 0x54, 0x34, 0x2E, 0x30, 0x0D, 0x0A
    };

    /** What DV's NetworkWriter starts with: uint32 LE IOHeader length (here 0x20 = 32), ... */
    private static final byte[] NETWORK_START = {0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00};

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] adapt(byte[] in) throws IOException {
        try (InputStream s =
                Aedat4NetworkInput.withVersionLine(new ByteArrayInputStream(in), "test")) {
            return s.readAllBytes();
        }
    }

    @Test
    void theConstantIsTheFourteenByteVersionLine() {
        assertThat(Aedat4NetworkInput.VERSION_LINE).containsExactly(VERSION);
    }

    @Test
    void aHeaderlessNetworkStreamGetsTheVersionLineInFront() throws IOException {
        byte[] body = concat(NETWORK_START, new byte[40]);
        assertThat(adapt(body)).containsExactly(concat(VERSION, body));
    }

    @Test
    void aStreamThatHasTheVersionLineIsPassedUnchanged() throws IOException {
        byte[] file = concat(VERSION, concat(NETWORK_START, new byte[40]));
        assertThat(adapt(file)).containsExactly(file);
    }

    @Test
    void aStreamShorterThanTheVersionLineIsKeptWhole() throws IOException {
        assertThat(adapt(new byte[] {1, 2, 3}))
                .containsExactly(concat(VERSION, new byte[] {1, 2, 3}));
        assertThat(adapt(new byte[0])).containsExactly(VERSION);
    }

    @Test
    void anotherAedatVersionIsRefusedNamingIt() {
        byte[] aedat3 = "#!AER-DAT3.1\r\n#Format: RAW\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> adapt(aedat3))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("test")
                .hasMessageContaining("#!AER-DAT3.1");
    }

    @Test
    void hasVersionLineLooksAtTheFirstFourteenBytes() {
        assertThat(Aedat4NetworkInput.hasVersionLine(concat(VERSION, NETWORK_START))).isTrue();
        assertThat(Aedat4NetworkInput.hasVersionLine(NETWORK_START)).isFalse();
    }
}

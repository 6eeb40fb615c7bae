package io.dvsflow.connectors.formats.aedat2;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.Aedat2Layout;
import org.junit.jupiter.api.Test;

class JaerChipTest {

    @Test
    void recognisesKnownChips() {
        assertThat(JaerChip.of("ch.unizh.ini.jaer.chip.retina.DVS128"))
                .isEqualTo(
                        new JaerChip(
                                "ch.unizh.ini.jaer.chip.retina.DVS128",
                                Aedat2Layout.DVS128,
                                128,
                                128));
        assertThat(JaerChip.of("ch.unizh.ini.jaer.chip.retina.Tmpdiff128").layout())
                .isEqualTo(Aedat2Layout.DVS128);
        JaerChip davis240 = JaerChip.of("eu.seebetter.ini.chips.davis.DAVIS240C");
        assertThat(davis240.layout()).isEqualTo(Aedat2Layout.DAVIS);
        assertThat(davis240.width()).isEqualTo(240);
        assertThat(davis240.height()).isEqualTo(180);
        assertThat(davis240.simpleName()).isEqualTo("DAVIS240C");
        JaerChip davis346 = JaerChip.of("eu.seebetter.ini.chips.davis.Davis346red");
        assertThat(new int[] {davis346.width(), davis346.height()}).containsExactly(346, 260);
        JaerChip davis640 = JaerChip.of("eu.seebetter.ini.chips.davis.DAVIS640");
        assertThat(new int[] {davis640.width(), davis640.height()}).containsExactly(640, 480);
    }

    @Test
    void unknownChipsHaveNoSizeOrLayout() {
        JaerChip davis = JaerChip.of("eu.seebetter.ini.chips.davis.DavisFuture");
        assertThat(davis.layout()).isEqualTo(Aedat2Layout.DAVIS);
        assertThat(davis.width()).isZero();
        assertThat(davis.height()).isZero();
        JaerChip cochlea = JaerChip.of("ch.unizh.ini.jaer.chip.cochlea.CochleaAMS1c");
        assertThat(cochlea.layout()).isNull();
        JaerChip none = JaerChip.of(null);
        assertThat(none.layout()).isNull();
        assertThat(none.simpleName()).isEmpty();
    }
}

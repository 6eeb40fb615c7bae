/**
 * A DVS emulator: turns intensity frames into DVS events with the pixel model of v2e (Hu, Liu and
 * Delbruck, CVPR Workshops 2021) and the exact crossing times of ESIM (Rebecq, Gehrig and
 * Scaramuzza, CoRL 2018).
 *
 * <h2>Model</h2>
 *
 * <p>Units: intensity {@code I} is linear, {@code 1} = full white; log intensity in natural-log
 * units; thresholds in the same log units; times in µs; rates in Hz per pixel.
 *
 * <ol>
 *   <li><b>Log intensity.</b> {@code L = ln(I + eps)}, {@code eps = 0.001} (ESIM). Between two
 *       frames {@code L} is linear in time.
 *   <li><b>Photoreceptor low-pass (optional).</b> v2e's first-order filter with a
 *       brightness-dependent bandwidth: {@code tau = 1 / (2 pi f_c)}, per step {@code dt} (at most
 *       {@code maxStepUs}) {@code e = min(1, (DN + 20) / 275 * dt / tau)} with {@code DN = 255 I},
 *       {@code Lp <- (1 - e) Lp + e L}.
 *   <li><b>Thresholds.</b> Per pixel, drawn once: {@code theta_on, theta_off ~ N(0.2, 0.03)},
 *       clamped to at least {@code 0.01}.
 *   <li><b>Events.</b> Each pixel holds a reference level {@code r}. With the difference {@code
 *       D(t) = L(t) - r(t)} (linear within a step, since both are), an ON event fires when {@code
 *       D} reaches {@code theta_on} and then {@code r += theta_on}; an OFF event when {@code D}
 *       reaches {@code -theta_off}, then {@code r -= theta_off}. The k-th crossing time is {@code t
 *       = t0 + (k theta - D0) / (D1 - D0) (t1 - t0)}. Without leak, {@code D1 - D0 = L1 - L0} and
 *       this is ESIM's {@code t = t0 + (c - L0) / (L1 - L0) (t1 - t0)} with {@code c = r + p
 *       theta_p}: several crossings per interval, each at its own interpolated time.
 *   <li><b>Refractory period.</b> An event within {@code T_ref} (v2e: 0.5 ms) of the pixel's last
 *       emitted event is dropped; the reference still moves (the change is lost, not delayed).
 *   <li><b>Leak events.</b> {@code dr/dt = -R_leak theta_on m_i}, {@code m_i = 10^(0.1 N(0,1))},
 *       {@code R_leak} about 0.1 Hz: a static pixel emits ON events at about {@code R_leak m_i}.
 *   <li><b>Shot noise.</b> Poisson events at {@code R_shot} per pixel, uniform in time and space,
 *       fair polarity, independent of the pixel state.
 * </ol>
 *
 * <p>Determinism: every random choice comes from one seeded {@link
 * io.dvsflow.connectors.emulator.SplitMix64}, and {@link java.lang.StrictMath} is used for {@code
 * ln}, {@code exp}, {@code pow} and the Gaussian transform, so a seed reproduces a stream bit for
 * bit on any JVM; {@link io.dvsflow.connectors.emulator.DvsEmulator#snapshot()} captures the whole
 * state (generator included) for checkpoints.
 *
 * <p>Scenes should move at most about one pixel per frame; upsample time otherwise (events between
 * frames assume a linear change of log intensity).
 */
package io.dvsflow.connectors.emulator;

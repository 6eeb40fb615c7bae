package io.dvsflow.models.metrics;

/**
 * Activity statistics of a population of spiking neurons over a set of examples, after paper 000
 * (regularized spiking auto-encoder, section 3), to detect dead and bursting neurons.
 *
 * <p>With {@code E} examples of {@code T} steps each, {@code N} neurons and {@code n_ie} the spike
 * count of neuron {@code i} in example {@code e}, the normalised firing rate is {@code f_ie = n_ie
 * / T} (spikes per step, in [0, 1]) and {@code F_i = (1/E) sum_e f_ie}:
 *
 * <ul>
 *   <li>a neuron is <b>active</b> if it spikes at least once over all examples; <b>dead</b>
 *       otherwise ({@code deadCount = N - activeCount});
 *   <li>{@code anr} (active neuron ratio) = {@code activeCount / N};
 *   <li>{@code afr} (average firing rate of active neurons) = mean of {@code F_i} over active
 *       neurons (0 if none);
 *   <li>{@code rae} (ratio of active neurons per example) = mean over examples of the number of
 *       neurons spiking in that example, divided by {@code activeCount} (0 if none);
 *   <li>a neuron is <b>bursting</b> if {@code F_i >= burstThreshold} (policy: default {@link
 *       #DEFAULT_BURST_THRESHOLD} = 0.5, i.e. it fires in at least half of all steps on average:
 *       the "constant firing" of paper 000);
 *   <li>{@code meanRate} = mean of {@code F_i} over all neurons.
 * </ul>
 *
 * @param neurons N
 * @param examples E
 * @param activeCount neurons with at least one spike
 * @param deadCount neurons with no spike
 * @param burstingCount neurons with {@code F_i >= burstThreshold}
 * @param anr active neuron ratio
 * @param afr average normalised firing rate of active neurons
 * @param rae mean active neurons per example over all active neurons
 * @param meanRate mean normalised firing rate of all neurons
 */
public record SpikeStatistics(
        int neurons,
        long examples,
        int activeCount,
        int deadCount,
        int burstingCount,
        double anr,
        double afr,
        double rae,
        double meanRate) {

    /** Default rate above which a neuron counts as bursting (spikes per step). */
    public static final double DEFAULT_BURST_THRESHOLD = 0.5;

    /**
     * Statistics of {@code counts[e][i]} (spikes of neuron {@code i} in example {@code e}, each
     * example {@code timeSteps} long), bursting threshold {@link #DEFAULT_BURST_THRESHOLD}.
     */
    public static SpikeStatistics of(int[][] counts, int timeSteps) {
        Accumulator a = new Accumulator(counts.length == 0 ? 0 : counts[0].length, timeSteps);
        for (int[] c : counts) {
            a.add(c);
        }
        return a.result(DEFAULT_BURST_THRESHOLD);
    }

    /**
     * Running statistics, one example at a time (no allocation per example), for operators that
     * publish them as metrics.
     */
    public static final class Accumulator {
        private final int timeSteps;
        private final long[] totals;
        private long examples;
        private long activePerExampleSum;

        /** For {@code neurons} neurons and examples of {@code timeSteps} steps. */
        public Accumulator(int neurons, int timeSteps) {
            if (neurons < 0 || timeSteps < 1) {
                throw new IllegalArgumentException(
                        "need neurons >= 0 and timeSteps >= 1, got " + neurons + ", " + timeSteps);
            }
            this.timeSteps = timeSteps;
            this.totals = new long[neurons];
        }

        /** Adds one example's spike counts per neuron (each in [0, timeSteps]). */
        public void add(int[] counts) {
            if (counts.length != totals.length) {
                throw new IllegalArgumentException(
                        "expected " + totals.length + " neuron counts, got " + counts.length);
            }
            int active = 0;
            for (int i = 0; i < counts.length; i++) {
                int c = counts[i];
                if (c < 0 || c > timeSteps) {
                    throw new IllegalArgumentException(
                            "neuron " + i + " has " + c + " spikes in " + timeSteps + " steps");
                }
                totals[i] += c;
                if (c > 0) {
                    active++;
                }
            }
            activePerExampleSum += active;
            examples++;
        }

        /** Forgets all examples. */
        public void reset() {
            java.util.Arrays.fill(totals, 0);
            examples = 0;
            activePerExampleSum = 0;
        }

        /**
         * The statistics so far with bursting threshold {@code burstThreshold} (spikes per step).
         */
        public SpikeStatistics result(double burstThreshold) {
            int n = totals.length;
            int active = 0;
            int bursting = 0;
            double rateSumActive = 0;
            double rateSumAll = 0;
            for (long total : totals) {
                double rate = examples == 0 ? 0 : (double) total / ((double) examples * timeSteps);
                rateSumAll += rate;
                if (total > 0) {
                    active++;
                    rateSumActive += rate;
                }
                if (examples > 0 && rate >= burstThreshold) {
                    bursting++;
                }
            }
            double anr = n == 0 ? 0 : (double) active / n;
            double afr = active == 0 ? 0 : rateSumActive / active;
            double rae =
                    active == 0 || examples == 0
                            ? 0
                            : (double) activePerExampleSum / examples / active;
            return new SpikeStatistics(
                    n,
                    examples,
                    active,
                    n - active,
                    bursting,
                    anr,
                    afr,
                    rae,
                    n == 0 ? 0 : rateSumAll / n);
        }
    }
}

/**
 * Training runs behind {@code dvsflow train} and {@code dvsflow eval}: data preparation (real and
 * emulated digits, MNIST-DVS folders, {@link io.dvsflow.jobs.train.DvsBinning}), the run folder
 * ({@link io.dvsflow.jobs.train.VdibTrainingRun}), the cached LeNet-5 scorer ({@link
 * io.dvsflow.jobs.train.DigitClassifiers}) and the models shipped in the jar ({@link
 * io.dvsflow.jobs.train.BundledModels}).
 */
package io.dvsflow.jobs.train;

/**
 * Plain-Java offline training of the VDIB hybrid auto-encoder: {@link
 * io.dvsflow.models.training.VdibModel} (the unit stored as a {@code ModelSnapshot} of kind {@code
 * vdib}; its Javadoc is the contract the streaming operators read), {@link
 * io.dvsflow.models.training.VdibArchitecture} (sizes and initialisation), {@link
 * io.dvsflow.models.training.VdibRunner} (one sample through encoder and decoder), {@link
 * io.dvsflow.models.training.VdibTrainer} (deterministic data-parallel minibatches) and {@link
 * io.dvsflow.models.training.DecodedMetrics} (MSE, PSNR, SSIM, classifier accuracy).
 */
package io.dvsflow.models.training;

package io.dvsflow.operators.types;

/** Type information for {@link ImageFrame}, serialized by {@link ImageFrameSerializer}. */
public final class ImageFrameTypeInfo extends SingleSerializerTypeInfo<ImageFrame> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the type information is stateless). */
    public static final ImageFrameTypeInfo INSTANCE = new ImageFrameTypeInfo();

    public ImageFrameTypeInfo() {
        super(ImageFrame.class, ImageFrameSerializer::new);
    }
}

package io.dvsflow.connectors.formats.aedat4;

import io.dvsflow.connectors.formats.EventFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The stream list of an AEDAT 4.0 IOHeader description: the XML {@code <dv version="2.0"><node
 * name="outInfo">} with one {@code <node name="<streamId>">} per stream, each holding {@code <attr
 * key="typeIdentifier">} and an {@code info} node with {@code sizeX}, {@code sizeY} and {@code
 * source}.
 *
 * <p>The XML is parsed with the JDK DOM parser with DOCTYPE declarations, external entities, DTD
 * loading and XInclude disabled. Stream nodes whose name is not an integer are ignored (with their
 * packets counted as {@code other}).
 */
final class Aedat4Description {

    /**
     * One output stream of the recording.
     *
     * @param id the stream id carried by its packets' headers
     * @param type the flatbuffer identifier of its packets ({@code EVTS}, {@code FRME}, {@code
     *     IMUS}, {@code TRIG}, ...), or empty when missing
     * @param sizeX sensor width in pixels, {@code 0} when not given
     * @param sizeY sensor height in pixels, {@code 0} when not given
     * @param source the camera name, or empty
     */
    record Stream(int id, String type, int sizeX, int sizeY, String source) {}

    /** The secured DOM factory, configured once (looking one up is slow). */
    private static final DocumentBuilderFactory FACTORY = secureFactory();

    private Aedat4Description() {}

    /**
     * Parses the stream list, sorted by stream id.
     *
     * @param fileOffset file offset of the IOHeader, for error messages
     */
    static List<Stream> parse(String xml, String sourceName, long fileOffset)
            throws EventFormatException {
        Document doc;
        try {
            DocumentBuilder builder;
            // factories are not promised to be thread-safe: create builders one at a time
            synchronized (FACTORY) {
                builder = FACTORY.newDocumentBuilder();
            }
            builder.setErrorHandler(new DefaultHandler());
            doc = builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new EventFormatException(
                    sourceName,
                    fileOffset,
                    "IOHeader description is not well-formed XML: " + e.getMessage(),
                    e);
        }
        Element root = doc.getDocumentElement();
        Element outInfo = childNode(root, "outInfo");
        if (outInfo == null) {
            throw new EventFormatException(
                    sourceName,
                    fileOffset,
                    "IOHeader description has no <node name=\"outInfo\"> listing the streams");
        }
        List<Stream> streams = new ArrayList<>();
        for (Node n = outInfo.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e) || !"node".equals(e.getTagName())) {
                continue;
            }
            int id;
            try {
                id = Integer.parseInt(e.getAttribute("name").trim());
            } catch (NumberFormatException ex) {
                continue;
            }
            Element info = childNode(e, "info");
            streams.add(
                    new Stream(
                            id,
                            attr(e, "typeIdentifier"),
                            info == null ? 0 : intAttr(info, "sizeX", sourceName, fileOffset),
                            info == null ? 0 : intAttr(info, "sizeY", sourceName, fileOffset),
                            info == null ? "" : attr(info, "source")));
        }
        streams.sort(Comparator.comparingInt(Stream::id));
        return streams;
    }

    private static DocumentBuilderFactory secureFactory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a security feature", e);
        }
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        return f;
    }

    /** The first child {@code <node name="name">} of {@code parent}, or {@code null}. */
    private static Element childNode(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e
                    && "node".equals(e.getTagName())
                    && name.equals(e.getAttribute("name"))) {
                return e;
            }
        }
        return null;
    }

    /** The text of the child {@code <attr key="key">}, trimmed, or empty. */
    private static String attr(Element parent, String key) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e
                    && "attr".equals(e.getTagName())
                    && key.equals(e.getAttribute("key"))) {
                return e.getTextContent().trim();
            }
        }
        return "";
    }

    private static int intAttr(Element parent, String key, String sourceName, long fileOffset)
            throws EventFormatException {
        String v = attr(parent, key);
        if (v.isEmpty()) {
            return 0;
        }
        int value;
        try {
            value = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0 || value > Short.MAX_VALUE) {
            throw new EventFormatException(
                    sourceName,
                    fileOffset,
                    "IOHeader description gives "
                            + key
                            + " = '"
                            + v
                            + "', not a size in [0, "
                            + Short.MAX_VALUE
                            + "]");
        }
        return value;
    }
}

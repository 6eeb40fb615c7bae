package io.dvsflow.jobs.cli;

import java.util.Map;

/** Writes one flat JSON object (strings, numbers, booleans, nested string-to-number maps). */
final class JsonObjectWriter {

    private final StringBuilder out = new StringBuilder("{");

    JsonObjectWriter put(String key, Object value) {
        if (out.length() > 1) {
            out.append(", ");
        }
        string(key);
        out.append(": ");
        value(value);
        return this;
    }

    private void value(Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
                out.append("null");
            } else {
                out.append(value);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                string(String.valueOf(e.getKey()));
                out.append(": ");
                value(e.getValue());
            }
            out.append('}');
        } else {
            string(value.toString());
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out + "}";
    }
}

package org.rnn4j.api.model;

import java.util.Locale;

/** Renders Keras's summary table: layer (type), output shape, parameter count; then the totals. */
final class Summary {
    private Summary() {}

    static String render(ModelSpec spec) {
        int w1 = 29;
        int w2 = 26;
        int w3 = 12;
        for (LayerInfo info : spec.layerInfos()) {
            w1 = Math.max(w1, layerText(info).length() + 2);
            w2 = Math.max(w2, info.outputShapeText().length() + 2);
        }
        String rule = "_".repeat(w1 + w2 + w3);
        String heavy = "=".repeat(w1 + w2 + w3);
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(spec.name()).append("\"\n").append(rule).append('\n');
        sb.append(row("Layer (type)", "Output Shape", "Param #", w1, w2))
                .append(heavy)
                .append('\n');
        var infos = spec.layerInfos();
        for (int i = 0; i < infos.size(); i++) {
            LayerInfo info = infos.get(i);
            sb.append(row(layerText(info), info.outputShapeText(), count(info.parameterCount()), w1, w2));
            sb.append(i == infos.size() - 1 ? heavy : rule).append('\n');
        }
        long total = spec.parameterCount();
        long trainable = spec.trainableParameterCount();
        sb.append("Total params: ")
                .append(count(total))
                .append(" (")
                .append(bytes(total * 4))
                .append(")\n");
        sb.append("Trainable params: ").append(count(trainable)).append('\n');
        sb.append("Non-trainable params: ").append(count(total - trainable)).append('\n');
        sb.append(rule).append('\n');
        return sb.toString();
    }

    private static String layerText(LayerInfo info) {
        String type = info.layer().typeName();
        if (info.layer() instanceof org.rnn4j.api.layers.BidirectionalSpec b) {
            type = "Bidirectional(" + b.layer().typeName() + ")";
        } else if (info.layer() instanceof org.rnn4j.api.layers.TimeDistributedSpec t) {
            type = "TimeDistributed(" + t.layer().typeName() + ")";
        }
        return info.name() + " (" + type + ")";
    }

    private static String row(String a, String b, String c, int w1, int w2) {
        return String.format(Locale.ROOT, " %-" + (w1 - 1) + "s%-" + w2 + "s%s%n", a, b, c);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f KB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MB", b / (1024.0 * 1024));
    }
}

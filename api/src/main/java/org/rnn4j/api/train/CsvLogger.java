package org.rnn4j.api.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code CSVLogger}: one row per epoch, {@code epoch} (0-based, as Keras) then the logs'
 * keys in sorted order, written and flushed at the end of each epoch so a crashed run keeps its
 * finished epochs. With {@code append} an existing file is continued (its header kept); otherwise
 * it is replaced. A key missing from an epoch's logs is written {@code NA}. Numbers are written as
 * Python writes them ({@code 0.25}, {@code 1e-05}).
 */
public final class CsvLogger implements Callback {
    private final Path file;
    private final char separator;
    private final boolean append;
    private BufferedWriter out;
    private List<String> keys;
    private boolean writeHeader;

    public CsvLogger(Path file, char separator, boolean append) {
        if (file == null) {
            throw new IllegalArgumentException("CsvLogger needs a file");
        }
        this.file = file;
        this.separator = separator;
        this.append = append;
    }

    /** Keras's defaults: comma-separated, the file replaced. */
    public CsvLogger(Path file) {
        this(file, ',', false);
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        try {
            writeHeader = true;
            if (append && Files.isRegularFile(file) && Files.size(file) > 0) {
                writeHeader = false;
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(
                    file,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            keys = null;
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        try {
            if (keys == null) {
                keys = new ArrayList<>(new java.util.TreeSet<>(logs.keySet()));
                if (writeHeader) {
                    StringBuilder header = new StringBuilder("epoch");
                    keys.forEach(k -> header.append(separator).append(k));
                    out.write(header.append('\n').toString());
                }
            }
            StringBuilder row = new StringBuilder(Integer.toString(epoch));
            for (String k : keys) {
                Double v = logs.get(k);
                row.append(separator).append(v == null ? "NA" : python(v));
            }
            out.write(row.append('\n').toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, History history) {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger cannot close " + file + ": " + e.getMessage(), e);
        } finally {
            out = null;
        }
    }

    /** Python's repr of a float: shortest digits, scientific below 1e-4 and from 1e16. */
    static String python(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e16) {
            String s = d.toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + String.format(java.util.Locale.ROOT, "%02d", Math.abs(exponent));
    }
}

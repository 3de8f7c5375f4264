package org.rnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.rnn4j.data.csv.CsvSeriesReader;
import org.rnn4j.data.series.TimeSeries;

/**
 * The demo datasets shipped inside this module, by name, for examples, tests and the CLI's
 * {@code --data} shortcut. Provenance and licences are in the repository's {@code NOTICE};
 * {@code data/scripts/make-demo-data.sh} rebuilds the files.
 * <ul>
 *   <li>{@value #SP500}: daily S&amp;P 500 from Yahoo Finance via vega-datasets 3.2.1
 *   ({@code sp500-2000.csv}), 2000-01-03 to 2020-04-17, 5,105 trading days, columns
 *   {@code open, high, low, close, adjclose, volume};</li>
 *   <li>{@value #AMZN}: monthly Amazon prices, Jan 2000 to Mar 2010 (123 rows, column {@code price}),
 *   the {@code symbol = AMZN} rows of {@value #STOCKS};</li>
 *   <li>{@value #STOCKS}: vega-datasets {@code stocks.csv} whole, {@code symbol,date,price} for
 *   AAPL, AMZN, GOOG, IBM and MSFT (560 rows);</li>
 *   <li>{@value #KJV}: the King James Bible (public domain) as printed by Debian's {@code bible-kjv}
 *   4.38, one verse per line, 4.4 MB of ASCII.</li>
 * </ul>
 */
public final class DemoData {
    public static final String SP500 = "sp500";
    public static final String AMZN = "amzn";
    public static final String STOCKS = "stocks";
    public static final String KJV = "kjv";

    private static final List<DemoDataset> DATASETS = List.of(
            new DemoDataset(
                    SP500,
                    DemoDataset.Kind.SERIES,
                    "demo/sp500-2000.csv",
                    List.of("open", "high", "low", "close", "adjclose", "volume"),
                    "close",
                    5105,
                    "daily S&P 500 index, 2000-01-03 to 2020-04-17 (Yahoo Finance via vega-datasets 3.2.1)"),
            new DemoDataset(
                    AMZN,
                    DemoDataset.Kind.SERIES,
                    "demo/stocks.csv",
                    List.of("price"),
                    "price",
                    123,
                    "monthly Amazon share price, 2000-01 to 2010-03 (vega-datasets 3.2.1 stocks.csv, symbol AMZN)"),
            new DemoDataset(
                    STOCKS,
                    DemoDataset.Kind.TABLE,
                    "demo/stocks.csv",
                    List.of(),
                    null,
                    560,
                    "monthly prices of AAPL, AMZN, GOOG, IBM, MSFT, 2000 to 2010 (symbol,date,price; vega-datasets 3.2.1)"),
            new DemoDataset(
                    KJV,
                    DemoDataset.Kind.TEXT,
                    "demo/kjv.txt",
                    List.of(),
                    null,
                    31102,
                    "King James Bible, one verse per line, 4.4 MB (public domain; Debian bible-kjv 4.38)"));

    private DemoData() {}

    /** Every demo dataset, in a fixed order. */
    public static List<DemoDataset> datasets() {
        return DATASETS;
    }

    /** The names of every demo dataset: {@code [sp500, amzn, stocks, kjv]}. */
    public static List<String> names() {
        return DATASETS.stream().map(DemoDataset::name).toList();
    }

    /** The names of the datasets of one kind, e.g. the series a CLI may forecast. */
    public static List<String> names(DemoDataset.Kind kind) {
        return DATASETS.stream()
                .filter(d -> d.kind() == kind)
                .map(DemoDataset::name)
                .toList();
    }

    /** The dataset called {@code name} (ignoring case); an unknown name lists the known ones. */
    public static DemoDataset dataset(String name) {
        for (DemoDataset d : DATASETS) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown demo dataset '" + name + "'; known: " + names());
    }

    /** The raw bytes of a dataset's file; the caller closes the stream. */
    public static InputStream open(String name) throws IOException {
        DemoDataset d = dataset(name);
        InputStream in = DemoData.class.getResourceAsStream(d.resource());
        if (in == null) {
            throw new IOException("demo dataset '" + d.name() + "' is missing its resource org/rnn4j/data/"
                    + d.resource() + "; the rnn4j-data jar is incomplete, rebuild it");
        }
        return in;
    }

    /** The S&amp;P 500 series, {@code [5105]} rows with dates and columns open, high, low, close, adjclose, volume. */
    public static TimeSeries sp500() {
        return series(SP500);
    }

    /** Amazon's monthly prices, {@code [123]} rows with dates and the column price. */
    public static TimeSeries amzn() {
        return series(AMZN);
    }

    /** The King James Bible text. */
    public static String kjvText() {
        return text(KJV);
    }

    /** A series dataset by name (see {@link #names(DemoDataset.Kind)} with {@code SERIES}). */
    public static TimeSeries series(String name) {
        DemoDataset d = dataset(name);
        if (d.kind() != DemoDataset.Kind.SERIES) {
            throw new IllegalArgumentException(
                    "demo dataset '" + d.name() + "' is a " + d.kind().name().toLowerCase(Locale.ROOT)
                            + ", not a series; series: " + names(DemoDataset.Kind.SERIES));
        }
        CsvSeriesReader reader = CsvSeriesReader.forColumns(d.columns().toArray(new String[0]));
        if (d.name().equals(AMZN)) {
            reader = reader.where("symbol", "AMZN");
        }
        try (InputStream in = open(d.name())) {
            return reader.read(in, d.resource());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read demo dataset '" + d.name() + "' from the classpath", e);
        }
    }

    /** A text dataset by name (see {@link #names(DemoDataset.Kind)} with {@code TEXT}). */
    public static String text(String name) {
        DemoDataset d = dataset(name);
        if (d.kind() != DemoDataset.Kind.TEXT) {
            throw new IllegalArgumentException("demo dataset '" + d.name() + "' is a "
                    + d.kind().name().toLowerCase(Locale.ROOT) + ", not text; texts: " + names(DemoDataset.Kind.TEXT));
        }
        try (InputStream in = open(d.name())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read demo dataset '" + d.name() + "' from the classpath", e);
        }
    }
}

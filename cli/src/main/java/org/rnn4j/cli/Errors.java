package org.rnn4j.cli;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/** Maps exceptions to exit codes and one-line messages. */
final class Errors {
    private Errors() {}

    /** 2 for bad input (invalid values, missing or unreadable input files), 1 for everything else. */
    static int exitCode(Throwable t) {
        Throwable c = t instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : t;
        if (c instanceof IllegalArgumentException
                || c instanceof CommandLine.ParameterException
                || c instanceof NoSuchFileException
                || c instanceof FileNotFoundException
                || c instanceof AccessDeniedException
                || c instanceof NotDirectoryException
                || c instanceof CharacterCodingException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILURE;
    }

    static String message(Throwable t) {
        Throwable c = t instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : t;
        if (c instanceof NoSuchFileException e) {
            return "no such file or directory: " + e.getFile();
        }
        if (c instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (c instanceof NotDirectoryException e) {
            return "not a directory: " + e.getFile();
        }
        if (c instanceof CharacterCodingException) {
            return "the input is not UTF-8 text";
        }
        if (c instanceof FileSystemException e && e.getReason() != null) {
            return e.getFile() + ": " + e.getReason();
        }
        // Wrappers such as Guice's ProvisionException carry long texts; the root cause says it in one line.
        String msg = c.getMessage();
        Throwable root = c;
        while ((msg == null || msg.isBlank() || msg.contains("\n"))
                && root.getCause() != null
                && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null && !root.getMessage().isBlank()) {
                msg = root.getMessage();
            }
        }
        return oneLine(msg == null || msg.isBlank() ? c.getClass().getSimpleName() : msg);
    }

    /** One line for a Java heap (or native) exhaustion that no estimate caught: what ran out and the way out. */
    static String outOfMemory(OutOfMemoryError e) {
        long max = Runtime.getRuntime().maxMemory();
        return "out of memory (" + (e.getMessage() == null ? "OutOfMemoryError" : e.getMessage()) + ") with a "
                + org.rnn4j.api.data.MemoryBudget.describe(max) + " maximum heap; raise it (RNN4J_JAVA_OPTS=-Xmx"
                + Math.max(2, 2 * ((max >> 30) + 1)) + "g) or train on less data (--max-chars, a shorter file)";
    }

    /** The first line of {@code s}, trimmed. */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }
}

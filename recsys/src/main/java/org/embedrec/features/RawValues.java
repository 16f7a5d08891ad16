package org.embedrec.features;

import java.util.ArrayList;
import java.util.List;

/**
 * A column's raw strings as the encoder reads them: ids trimmed, list entries split on their
 * separator, numbers parsed (a blank one is missing, NaN), integers parsed; every bad value named
 * with its feature, column and row.
 */
final class RawValues {
    private RawValues() {
    }

    static String[] trimmed(String[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].trim();
        }
        return out;
    }

    static List<String> entries(String value, String separator) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from <= value.length()) {
            int at = value.indexOf(separator, from);
            int end = at < 0 ? value.length() : at;
            String e = value.substring(from, end).trim();
            if (!e.isEmpty()) {
                out.add(e);
            }
            if (at < 0) {
                break;
            }
            from = at + separator.length();
        }
        return out;
    }

    /** The numbers of {@code values}; a blank value is missing (NaN), anything else must be a finite number. */
    static double[] numbers(FeatureDefinition f, String[] values, String unit) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = number(f, values[i], unit, i + 1);
        }
        return out;
    }

    /** The number of {@code value}, NaN when blank; {@code where} names it in the error ("training row 3"). */
    static double number(FeatureDefinition f, String value, String where) {
        return number(f, value, where, 0);
    }

    /**
     * As {@link #number(FeatureDefinition, String, String)}, named in an error by {@code unit} and
     * {@code row} (when {@code row > 0}): the name is only built for an error, as a 25M-row column
     * would otherwise make a string per row.
     */
    private static double number(FeatureDefinition f, String value, String unit, int row) {
        String v = value.trim();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double out = plainInteger(v);
        if (Double.isNaN(out)) {
            try {
                out = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                out = Double.NaN;
            }
        }
        if (!Double.isFinite(out)) {
            throw new IllegalArgumentException("feature '" + f.name() + "' (column '" + f.column() + "', "
                    + f.kind().jsonName() + "): " + (row > 0 ? unit + row : unit) + " has '" + v
                    + "', expected a finite number (or nothing, for a missing value)");
        }
        return out;
    }

    /**
     * The value of {@code v} when it is a plain decimal integer of at most 18 digits (an optional
     * sign, then digits), else NaN. Timestamps and counts are such integers, and reading them
     * without {@code Double.parseDouble}'s general path halves the cost of a numeric column. The
     * same double as {@code Double.parseDouble(v)}: both round the exact integer to the nearest
     * double, ties to even ({@code (double) long}), and "-0" stays -0.0.
     */
    static double plainInteger(String v) {
        int n = v.length();
        int at = 0;
        boolean negative = false;
        if (n > 0 && (v.charAt(0) == '-' || v.charAt(0) == '+')) {
            negative = v.charAt(0) == '-';
            at = 1;
        }
        int digits = n - at;
        if (digits < 1 || digits > 18) {
            return Double.NaN;
        }
        long magnitude = 0;
        for (int i = at; i < n; i++) {
            int d = v.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return Double.NaN;
            }
            magnitude = magnitude * 10 + d;
        }
        double out = (double) magnitude;
        return negative ? -out : out;
    }

    static double[] fill(double[] x, boolean[] missing, double value) {
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            if (missing[i]) {
                out[i] = value;
            }
        }
        return out;
    }

    /** The values of {@code x} that are not missing. */
    static double[] present(FeatureDefinition f, double[] x) {
        int n = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("feature '" + f.name() + "' (column '" + f.column() + "'): every "
                    + "training value is missing; nothing to adapt its preprocessing on");
        }
        double[] out = new double[n];
        int k = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                out[k++] = v;
            }
        }
        return out;
    }

    static int[] integers(FeatureDefinition f, String[] values, String unit) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = integer(f, values[i], unit, i + 1);
        }
        return out;
    }

    /** The integer of {@code value}; {@code where} names it in the error ("training row 3"). */
    static int integer(FeatureDefinition f, String value, String where) {
        return integer(f, value, where, 0);
    }

    /** As {@link #integer(FeatureDefinition, String, String)}, named by {@code unit} and {@code row} (if > 0) in an error only. */
    private static int integer(FeatureDefinition f, String value, String unit, int row) {
        String v = value.trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("feature '" + f.name() + "' (column '" + f.column()
                    + "', integer): " + (row > 0 ? unit + row : unit) + " has '" + v
                    + "', expected an integer in the int range");
        }
    }
}

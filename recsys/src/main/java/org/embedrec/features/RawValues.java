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
            String v = values[i].trim();
            if (v.isEmpty()) {
                out[i] = Double.NaN;
                continue;
            }
            try {
                out[i] = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                out[i] = Double.NaN;
            }
            if (!Double.isFinite(out[i])) {
                throw new IllegalArgumentException("feature '" + f.name() + "' (column '" + f.column() + "', "
                        + f.kind().jsonName() + "): " + unit + (i + 1) + " has '" + v + "', expected a finite number "
                        + "(or nothing, for a missing value)");
            }
        }
        return out;
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
            String v = values[i].trim();
            try {
                out[i] = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("feature '" + f.name() + "' (column '" + f.column()
                        + "', integer): " + unit + (i + 1) + " has '" + v + "', expected an integer in the int range");
            }
        }
        return out;
    }
}

package org.embedrec.recommend;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.embedrec.data.Interactions;

/**
 * The SHA-256 of a data set's rows, recorded in a saved model so that the data it was trained
 * on can be recognised: every row's raw user and item ids, rating, timestamp and extra columns,
 * in order, each field length-prefixed so that no two different tables hash the same bytes.
 */
final class DataFingerprint {
    private DataFingerprint() {}

    /** "sha256:" and 64 hex digits. */
    static String of(Interactions rows) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        ByteBuffer numbers = ByteBuffer.allocate(12);
        for (int r = 0; r < rows.size(); r++) {
            text(sha, rows.users().rawId(rows.user(r)));
            text(sha, rows.items().rawId(rows.item(r)));
            numbers.clear();
            numbers.putFloat(rows.rating(r)).putLong(rows.timestamp(r));
            sha.update(numbers.array());
            for (String column : rows.extraColumnNames()) {
                text(sha, rows.extraColumn(column).get(r));
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static void text(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
        sha.update(b);
    }
}
